package ai.djl.lovasz.metric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.lovasz.LovaszSoftmaxLoss;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import org.junit.jupiter.api.Test;

/** mIoU against a confusion matrix counted by hand. */
class MeanIoUTest {

    // One image of 8 pixels, 3 classes, pixel 6 ignored (255):
    //   truth      0 0 1 1 2 2 255 1
    //   prediction 0 1 1 1 2 0  2  2
    // Confusion [truth][prediction] over the 7 valid pixels:
    //   t0: 1 1 0    t1: 0 2 1    t2: 1 0 1
    // IoU0 = 1 / (2 + 2 − 1) = 1/3, IoU1 = 2 / (3 + 3 − 2) = 1/2, IoU2 = 1 / (2 + 2 − 1) = 1/3,
    // mIoU = (1/3 + 1/2 + 1/3) / 3 = 7/18.
    private static final long[] TRUTH = {0, 0, 1, 1, 2, 2, 255, 1};
    private static final long[] PREDICTED = {0, 1, 1, 1, 2, 0, 2, 2};

    /** Logits [1, classes, 8] whose arg-max is PREDICTED. */
    private static NDArray logits(NDManager manager, int classes, long[] predicted) {
        float[] v = new float[classes * predicted.length];
        for (int i = 0; i < predicted.length; i++) {
            v[(int) predicted[i] * predicted.length + i] = 3f;
        }
        return manager.create(v, new Shape(1, classes, predicted.length));
    }

    @Test
    void matchesTheHandCountedExample() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MeanIoU metric = MeanIoU.of(3, 255);
            NDList labels = new NDList(manager.create(TRUTH, new Shape(1, 8)));
            NDList predictions = new NDList(logits(manager, 3, PREDICTED));
            assertArrayEquals(new long[] {1, 1, 0, 0, 2, 1, 1, 0, 1}, metric.confusionOf(labels, predictions));
            assertEquals(7.0 / 18, metric.evaluate(labels, predictions).getDouble(), 1e-15);
            metric.addAccumulator("test");
            metric.updateAccumulator("test", labels, predictions);
            assertEquals(7.0 / 18, metric.getAccumulator("test"), 1e-7);
            assertArrayEquals(new double[] {1.0 / 3, 0.5, 1.0 / 3}, metric.classIoU("test"), 1e-15);
        }
    }

    @Test
    void classAbsentFromTruthAndPredictionIsLeftOut() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MeanIoU metric = MeanIoU.of(4, 255);
            metric.addAccumulator("k");
            metric.updateAccumulator(
                    "k", new NDList(manager.create(TRUTH, new Shape(1, 8))), new NDList(logits(manager, 4, PREDICTED)));
            assertTrue(Double.isNaN(metric.classIoU("k")[3]));
            assertEquals(7.0 / 18, metric.getAccumulator("k"), 1e-7);
        }
    }

    @Test
    void accumulatesAcrossBatchesAndResets() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MeanIoU whole = MeanIoU.of(3, 255);
            whole.addAccumulator("k");
            whole.updateAccumulator(
                    "k", new NDList(manager.create(TRUTH, new Shape(1, 8))), new NDList(logits(manager, 3, PREDICTED)));
            MeanIoU parts = MeanIoU.of(3, 255);
            parts.addAccumulator("k");
            for (int half = 0; half < 2; half++) {
                long[] t = java.util.Arrays.copyOfRange(TRUTH, 4 * half, 4 * half + 4);
                long[] p = java.util.Arrays.copyOfRange(PREDICTED, 4 * half, 4 * half + 4);
                parts.updateAccumulator("k", new NDList(manager.create(t, new Shape(1, 4))), new NDList(logits(manager, 3, p)));
            }
            assertArrayEquals(whole.confusionMatrix("k"), parts.confusionMatrix("k"));
            parts.resetAccumulator("k");
            assertArrayEquals(new long[9], parts.confusionMatrix("k"));
            assertEquals(0f, parts.getAccumulator("k"));
        }
    }

    @Test
    void rejectsBadInput() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MeanIoU metric = MeanIoU.of(3, null);
            NDList predictions = new NDList(logits(manager, 3, PREDICTED));
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> metric.evaluate(new NDList(manager.create(TRUTH, new Shape(1, 8))), predictions));
            assertTrue(e.getMessage().contains("label 255"), e.getMessage());
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> metric.evaluate(new NDList(manager.zeros(new Shape(1, 7), DataType.INT64)), predictions));
            assertTrue(e.getMessage().contains("(1, 7)"), e.getMessage());
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> MeanIoU.of(4, null).evaluate(new NDList(manager.zeros(new Shape(1, 8), DataType.INT64)), predictions));
            assertTrue(e.getMessage().contains("expects 4"), e.getMessage());
        }
    }

    @Test
    void worksAsATrainerEvaluator() throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("miou")) {
            model.setBlock(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(3).build());
            NDArray data = manager.randomNormal(new Shape(8, 3, 4, 4));
            NDArray labels = manager.randomInteger(0, 3, new Shape(8, 4, 4), DataType.INT64);
            ArrayDataset dataset =
                    new ArrayDataset.Builder().setData(data).optLabels(labels).setSampling(4, false).build();
            MeanIoU metric = MeanIoU.of(3, null);
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(LovaszSoftmaxLoss.builder().build())
                            .addEvaluator(metric)
                            .addTrainingListeners(ai.djl.training.listener.TrainingListener.Defaults.basic());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(4, 3, 4, 4));
                EasyTrain.fit(trainer, 1, dataset, null);
                float value = trainer.getTrainingResult().getTrainEvaluation("mIoU");
                assertTrue(value > 0 && value <= 1, "train mIoU " + value);
            }
        }
    }
}
