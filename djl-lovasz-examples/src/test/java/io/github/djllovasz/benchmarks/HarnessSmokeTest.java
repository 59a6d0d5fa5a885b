package io.github.djllovasz.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.djllovasz.LovaszHingeLoss;
import io.github.djllovasz.LovaszSoftmaxLoss;
import java.util.BitSet;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** Quick checks of the harness pieces, without JMH and without timing. */
class HarnessSmokeTest {

    @Test
    void loopBaselineEqualsTheLibrary() {
        for (LabelKind kind : LabelKind.values()) {
            for (boolean perImage : new boolean[] {false, true}) {
                try (BenchInputs in = BenchInputs.softmax(new BenchShape(3, 6, 12, 10), kind, 5)) {
                    LovaszSoftmaxLoss.Builder builder = LovaszSoftmaxLoss.builder().optPerImage(perImage);
                    if (kind.ignoreIndex() != null) {
                        builder.optIgnoreIndex(kind.ignoreIndex());
                    }
                    LovaszSoftmaxLoss ours = builder.build();
                    assertSame(
                            in,
                            (x, y) -> ours.evaluate(y, x),
                            (x, y) -> LoopBaseline.softmax(x, y, kind.ignoreIndex(), perImage),
                            "softmax " + kind + " perImage=" + perImage);
                }
                try (BenchInputs in = BenchInputs.hinge(new BenchShape(3, 1, 12, 10), kind, 6)) {
                    LovaszHingeLoss.Builder builder = LovaszHingeLoss.builder().optPerImage(perImage);
                    if (kind.ignoreIndex() != null) {
                        builder.optIgnoreIndex(kind.ignoreIndex());
                    }
                    LovaszHingeLoss ours = builder.build();
                    assertSame(
                            in,
                            (x, y) -> ours.evaluate(y, x),
                            (x, y) -> LoopBaseline.hinge(x, y, kind.ignoreIndex(), perImage),
                            "hinge " + kind + " perImage=" + perImage);
                }
            }
        }
    }

    @Test
    void realisticLabelsHaveAboutFiveClassesAndFivePercentIgnore() {
        int batch = 6;
        int height = 96;
        int width = 128;
        int[] labels = LabelMaps.realistic(batch, 21, height, width, 11);
        int pixels = height * width;
        for (int b = 0; b < batch; b++) {
            BitSet classes = new BitSet();
            int ignored = 0;
            int changes = 0;
            for (int i = 0; i < pixels; i++) {
                int label = labels[b * pixels + i];
                if (label == LabelMaps.IGNORE_INDEX) {
                    ignored++;
                } else {
                    assertTrue(label >= 0 && label < 21, "label " + label);
                    classes.set(label);
                }
                if (i % width > 0 && label != labels[b * pixels + i - 1]) {
                    changes++;
                }
            }
            assertEquals(0.05, ignored / (double) pixels, 0.001, "ignored fraction of image " + b);
            assertTrue(classes.cardinality() >= 4 && classes.cardinality() <= 5, "classes " + classes);
            // Piecewise constant: few label changes along rows (boundaries), unlike noise.
            assertTrue(changes < pixels / 10, "label changes along rows: " + changes);
        }
    }

    @Test
    void shapesParseAndScalingShapesHaveTheirPixelCount() {
        assertEquals(new BenchShape(10, 20, 300, 300), BenchShape.parse("10x20x300x300"));
        for (int k = 12; k <= 22; k++) {
            assertEquals(1L << k, BenchmarkMain.scalingShape(k, 8).pixels());
        }
        assertEquals(1.0, BenchmarkMain.slope(List.of(new double[] {1, 2}, new double[] {4, 8})), 1e-12);
        assertEquals(1.5, BenchmarkMain.slope(List.of(new double[] {1, 1}, new double[] {4, 8})), 1e-12);
    }

    @Test
    void flagsParseAndJmhOptionsPassThrough() throws Exception {
        BenchmarkMain.parse("--quick", "--only", "ours,ce", "--labels", "realistic", "--", "-f", "2", "-wi", "4");
        assertThrows(IllegalArgumentException.class, () -> BenchmarkMain.parse("--only", "fast"));
        assertThrows(IllegalArgumentException.class, () -> BenchmarkMain.parse("--allocator-check"));
        assertEquals("70.1ms", BenchmarkMain.benchMs(70.12));
        assertEquals("0.123ms", BenchmarkMain.benchMs(0.1234));
        assertEquals("n/a", BenchmarkMain.benchMs(Double.NaN));
        assertEquals("205", BenchmarkMain.tableMs(205.3));
        assertEquals("99.6", BenchmarkMain.tableMs(99.61));
        assertEquals("2.50", BenchmarkMain.ratio(2.5));
    }

    @Test
    void everyVariantOfBothFamiliesRuns() {
        for (String variant : LossBenchmark.VARIANTS) {
            for (boolean perImage : new boolean[] {false, true}) {
                SoftmaxBenchmark softmax = new SoftmaxBenchmark();
                softmax.shape = "2x3x4x5";
                HingeBenchmark hinge = new HingeBenchmark();
                hinge.shape = "2x1x4x5";
                for (LossBenchmark b : List.of(softmax, hinge)) {
                    b.labels = "realistic";
                    b.perImage = perImage;
                    b.variant = variant;
                    b.setUp();
                    try {
                        double value = b.call();
                        assertTrue(Double.isFinite(value), b.getClass().getSimpleName() + " " + variant);
                        assertEquals(value, b.call(), 1e-6, "a second call gives the same value");
                    } finally {
                        b.tearDown();
                    }
                }
            }
        }
    }

    @Test
    void floorRunsOnTheSameRows() {
        SoftmaxBenchmark b = new SoftmaxBenchmark();
        b.shape = "2x3x4x5";
        b.labels = "realistic";
        b.variant = "floor";
        for (boolean perImage : new boolean[] {false, true}) {
            b.perImage = perImage;
            b.setUp();
            try {
                NDArray[] rows = b.floorRows();
                assertEquals(perImage ? new Shape(6, 20) : new Shape(3, 40), rows[0].getShape());
                assertEquals(rows[0].getShape(), rows[1].getShape());
            } finally {
                b.tearDown();
            }
        }
        HingeBenchmark h = new HingeBenchmark();
        h.shape = "2x1x4x5";
        h.labels = "uniform";
        h.variant = "floor";
        h.perImage = true;
        h.setUp();
        try {
            assertEquals(new Shape(2, 20), h.floorRows()[0].getShape());
        } finally {
            h.tearDown();
        }
    }

    @Test
    void binaryCrossEntropyMatchesItsDefinition() {
        try (BenchInputs in = BenchInputs.hinge(new BenchShape(2, 1, 5, 7), LabelKind.UNIFORM, 3)) {
            float[] x = in.logits().toFloatArray();
            float[] y = in.crossEntropyLabels().toFloatArray();
            double expected = 0;
            for (int i = 0; i < x.length; i++) {
                double p = 1 / (1 + Math.exp(-x[i]));
                expected -= y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p);
            }
            expected /= x.length;
            NDArray bce = HingeBenchmark.binaryCrossEntropy(in.logits(), in.crossEntropyLabels());
            assertEquals(expected, bce.getFloat(), 1e-5);
        }
    }

    private static void assertSame(
            BenchInputs in,
            BiFunction<NDArray, NDArray, NDArray> ours,
            BiFunction<NDArray, NDArray, NDArray> loop,
            String what) {
        float[] oursValue = new float[1];
        float[] loopValue = new float[1];
        float[] oursGrad = valueAndGrad(in, ours, oursValue);
        float[] loopGrad = valueAndGrad(in, loop, loopValue);
        assertEquals(oursValue[0], loopValue[0], 1e-5, what + ": loss");
        for (int i = 0; i < oursGrad.length; i++) {
            assertEquals(oursGrad[i], loopGrad[i], 1e-5, what + ": gradient " + i);
        }
    }

    private static float[] valueAndGrad(
            BenchInputs in, BiFunction<NDArray, NDArray, NDArray> loss, float[] value) {
        NDArray logits = in.logits();
        try (NDManager step = in.manager().newSubManager()) {
            NDArray grad;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.zeroGradients();
                NDArray l = loss.apply(logits, in.labels());
                l.attach(step);
                collector.backward(l);
                value[0] = l.getFloat();
            }
            grad = logits.getGradient();
            grad.attach(step);
            float[] copy = grad.toFloatArray();
            grad.subi(grad); // reset the accumulated gradient for the next loss
            return copy;
        }
    }
}
