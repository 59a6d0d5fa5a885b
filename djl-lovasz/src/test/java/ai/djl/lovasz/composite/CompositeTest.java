package ai.djl.lovasz.composite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Model;
import ai.djl.lovasz.LovaszSoftmaxLoss;
import ai.djl.lovasz.testutil.Grad;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.SimpleCompositeLoss;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Cross-entropy with an ignore index, CE + λ·Lovász, and the CE → Lovász switch. */
class CompositeTest {

    private static final long IGNORE = 255;

    private static double[] randomLogits(Random random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian() * 2;
        }
        return v;
    }

    @Test
    void crossEntropyIsTheMeanNegativeLogSoftmaxOverValidPixels() {
        int b = 2;
        int c = 3;
        int p = 6;
        Random random = new Random(3);
        double[] logits = randomLogits(random, b * c * p);
        long[] labels = new long[b * p];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 4 == 0 ? IGNORE : random.nextInt(c);
        }
        double sum = 0;
        int valid = 0;
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < p; i++) {
                long y = labels[n * p + i];
                if (y == IGNORE) {
                    continue;
                }
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < c; k++) {
                    max = Math.max(max, logits[(n * c + k) * p + i]);
                }
                double z = 0;
                for (int k = 0; k < c; k++) {
                    z += Math.exp(logits[(n * c + k) * p + i] - max);
                }
                sum -= logits[(n * c + (int) y) * p + i] - max - Math.log(z);
                valid++;
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(logits, new Shape(b, c, p));
            NDArray y = manager.create(labels, new Shape(b, p));
            Grad g = Grad.of(x, a -> SegmentationCrossEntropyLoss.of((int) IGNORE).compute(a, y));
            assertEquals(sum / valid, g.loss, 1e-12);
            for (int n = 0; n < b; n++) {
                for (int i = 0; i < p; i++) {
                    if (labels[n * p + i] == IGNORE) {
                        for (int k = 0; k < c; k++) {
                            assertEquals(0.0, g.gradient[(n * c + k) * p + i], "ignored pixel");
                        }
                    }
                }
            }
            NDArray bad = manager.create(new long[] {0, 1, 2, 3, 0, 1}, new Shape(1, 6));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> SegmentationCrossEntropyLoss.of(null).compute(x.get("0:1"), bad));
        }
    }

    @Test
    void compositeIsCrossEntropyPlusLambdaLovasz() {
        Random random = new Random(4);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(randomLogits(random, 2 * 4 * 25), new Shape(2, 4, 5, 5));
            NDArray y = manager.randomInteger(0, 4, new Shape(2, 5, 5), ai.djl.ndarray.types.DataType.INT64);
            LovaszSoftmaxLoss lovasz = LovaszSoftmaxLoss.builder().build();
            SimpleCompositeLoss composite = LovaszComposites.crossEntropyPlusLovasz(lovasz, 0.5);
            double ce = Grad.value(x, a -> SegmentationCrossEntropyLoss.of(null).compute(a, y));
            double lv = Grad.value(x, a -> lovasz.compute(a, y));
            double both = Grad.value(x, a -> composite.evaluate(new NDList(y), new NDList(a)));
            assertEquals(ce + 0.5 * lv, both, 1e-12);
            NDArray x32 = x.toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            NDArray total = composite.evaluate(new NDList(y), new NDList(x32));
            assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, total.getDataType(), "the loss keeps float32");
        }
    }

    @Test
    void switchesFromCrossEntropyToLovaszAtTheGivenEpochOfATrainer() throws Exception {
        LovaszSoftmaxLoss lovasz = LovaszSoftmaxLoss.builder().build();
        EpochSwitchLoss loss = LovaszComposites.crossEntropyThenLovasz(lovasz, 2);
        assertEquals(SegmentationCrossEntropyLoss.class, loss.current().getClass());
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("switch")) {
            model.setBlock(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(3).build());
            NDArray data = manager.randomNormal(new Shape(8, 3, 4, 4));
            NDArray labels = manager.randomInteger(0, 3, new Shape(8, 4, 4), ai.djl.ndarray.types.DataType.INT64);
            ArrayDataset dataset =
                    new ArrayDataset.Builder().setData(data).optLabels(labels).setSampling(4, false).build();
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss).addTrainingListeners(loss.listener());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(4, 3, 4, 4));
                EasyTrain.fit(trainer, 2, dataset, null);
                assertEquals(2, loss.getEpoch());
                assertSame(lovasz, loss.current());
                EasyTrain.fit(trainer, 1, dataset, null);
                assertEquals(3, loss.getEpoch());
            }
        }
    }
}
