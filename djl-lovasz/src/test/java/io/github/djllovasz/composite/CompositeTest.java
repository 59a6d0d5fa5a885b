package io.github.djllovasz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import io.github.djllovasz.testutil.Grad;
import io.github.djllovasz.testutil.SeededArrays;
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
import ai.djl.training.loss.SimpleCompositeLoss;
import org.junit.jupiter.api.Test;

/** Cross-entropy with an ignore index, CE + λ·Lovász, and the CE → Lovász switch. */
class CompositeTest {

    private static final long IGNORE = 255;

    @Test
    void crossEntropyIsTheMeanNegativeLogSoftmaxOverValidPixels() {
        int b = 2;
        int c = 3;
        int p = 6;
        SeededArrays random = SeededArrays.of(3);
        double[] logits = random.normalValues(b * c * p, SeededArrays.LOGIT_SCALE);
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
            Grad g = Grad.of(x, a -> SegmentationCrossEntropyLoss.builder().optIgnoreIndex((int) IGNORE).build().evaluate(y, a));
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
                    () -> SegmentationCrossEntropyLoss.builder().build().evaluate(bad, x.get("0:1")));
        }
    }

    @Test
    void compositeIsCrossEntropyPlusLambdaLovasz() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = SeededArrays.of(manager, 4).logits(2, 4, 5, 5);
            NDArray y = manager.randomInteger(0, 4, new Shape(2, 5, 5), ai.djl.ndarray.types.DataType.INT64);
            LovaszSoftmaxLoss lovasz = LovaszSoftmaxLoss.builder().build();
            SimpleCompositeLoss composite = SegmentationLosses.crossEntropyPlusLovasz(lovasz, 0.5);
            double ce = Grad.value(x, a -> SegmentationCrossEntropyLoss.builder().build().evaluate(y, a));
            double lv = Grad.value(x, a -> lovasz.evaluate(y, a));
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
        EpochSwitchLoss loss = SegmentationLosses.crossEntropyThenLovasz(lovasz, 2);
        assertEquals(SegmentationCrossEntropyLoss.class, loss.current().getClass());
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("switch")) {
            manager.getEngine().setRandomSeed(3); // data, weights and batch order repeat
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
            // A new trainer (DJL's onTrainingBegin) starts again from the first phase.
            try (Trainer trainer = model.newTrainer(config)) {
                assertEquals(0, loss.getEpoch());
                assertEquals(SegmentationCrossEntropyLoss.class, loss.current().getClass());
                trainer.initialize(new Shape(4, 3, 4, 4));
                EasyTrain.fit(trainer, 1, dataset, null);
                assertEquals(1, loss.getEpoch());
            }
        }
    }

    @Test
    void severalPhasesFollowTheirStartEpochs() {
        SegmentationCrossEntropyLoss ce = SegmentationCrossEntropyLoss.builder().build();
        LovaszSoftmaxLoss pooled = LovaszSoftmaxLoss.builder().build();
        LovaszSoftmaxLoss perImage = LovaszSoftmaxLoss.builder().optPerImage(true).build();
        EpochSwitchLoss loss =
                EpochSwitchLoss.builder().addPhase(0, ce).addPhase(3, pooled).addPhase(5, perImage).build();
        Object[] expected = {ce, ce, ce, pooled, pooled, perImage, perImage};
        for (int epoch = 0; epoch < expected.length; epoch++) {
            loss.setEpoch(epoch);
            assertSame(expected[epoch], loss.current(), "epoch " + epoch);
        }
        assertEquals(3, loss.getPhases().size());
        assertEquals(
                "EpochSwitchLoss", loss.getName());
        IllegalArgumentException late =
                assertThrows(IllegalArgumentException.class, () -> EpochSwitchLoss.builder().addPhase(1, ce));
        assertTrue(late.getMessage().contains("epoch 0, got 1"), late.getMessage());
        IllegalArgumentException order =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> EpochSwitchLoss.builder().addPhase(0, ce).addPhase(4, pooled).addPhase(4, ce));
        assertTrue(order.getMessage().contains("4 after 4"), order.getMessage());
        assertThrows(IllegalStateException.class, () -> EpochSwitchLoss.builder().build());
        assertThrows(IllegalArgumentException.class, () -> loss.setEpoch(-1));
    }

    @Test
    void binaryCrossEntropyIsTheMeanOverValidPixels() {
        // logits s and labels y (255 ignored); per pixel max(s, 0) − s·y + log(1 + exp(−|s|)),
        // which is −log σ(s) for y = 1 and −log(1 − σ(s)) for y = 0.
        double[] s = {2.0, -1.0, 0.5, -3.0, 0.0, 1.5};
        long[] y = {1, 0, 0, 1, 255, 255};
        double expected = 0;
        for (int i = 0; i < 4; i++) {
            double sigma = 1 / (1 + Math.exp(-s[i]));
            expected -= y[i] == 1 ? Math.log(sigma) : Math.log(1 - sigma);
        }
        expected /= 4;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(s, new Shape(1, 1, 2, 3));
            NDArray labels = manager.create(y, new Shape(1, 2, 3));
            Grad g = Grad.of(x, a -> SegmentationBinaryCrossEntropyLoss.builder().optIgnoreIndex(255).build().evaluate(labels, a));
            assertEquals(expected, g.loss, 1e-12);
            // d/ds = (σ(s) − y) / |V| on valid pixels, exactly 0 on ignored ones.
            for (int i = 0; i < 6; i++) {
                double want = i < 4 ? (1 / (1 + Math.exp(-s[i])) - y[i]) / 4 : 0.0;
                assertEquals(want, g.gradient[i], 1e-12, "pixel " + i);
            }
            // Without an ignore index every pixel counts; 255 is then a bad label.
            NDArray bad = manager.create(y, new Shape(1, 2, 3));
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> SegmentationBinaryCrossEntropyLoss.builder().build().evaluate(bad, x));
            assertTrue(e.getMessage().contains("label 255"), e.getMessage());
            NDArray ones = manager.ones(new Shape(1, 2, 3), DataType.INT64);
            double allOnes = Grad.value(x, a -> SegmentationBinaryCrossEntropyLoss.builder().build().evaluate(ones, a));
            double sum = 0;
            for (double v : s) {
                sum -= Math.log(1 / (1 + Math.exp(-v)));
            }
            assertEquals(sum / 6, allOnes, 1e-12);
            // Every pixel ignored: 0.
            NDArray none = manager.full(new Shape(1, 2, 3), 255, DataType.INT64);
            assertEquals(0.0, Grad.value(x, a -> SegmentationBinaryCrossEntropyLoss.builder().optIgnoreIndex(255).build().evaluate(none, a)));
        }
    }
}
