package io.github.djllovasz.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.djllovasz.LovaszHingeLoss;
import io.github.djllovasz.LovaszSoftmaxLoss;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Quick checks of the harness pieces, without JMH and without timing. */
class HarnessSmokeTest {

    @Test
    void loopBaselineEqualsTheLibrary() {
        for (LabelKind kind : LabelKind.values()) {
            Integer ignore = kind.ignoreIndex();
            for (boolean perImage : new boolean[] {false, true}) {
                String what = kind + " perImage=" + perImage;
                LovaszSoftmaxLoss softmax = kind.ignoring(LovaszSoftmaxLoss.builder().optPerImage(perImage)).build();
                assertSame(new BenchShape(3, 6, 12, 10), kind, 5, (x, y) -> softmax.evaluate(y, x),
                        (x, y) -> LoopBaseline.softmax(x, y, ignore, perImage), "softmax " + what);
                LovaszHingeLoss hinge = kind.ignoring(LovaszHingeLoss.builder().optPerImage(perImage)).build();
                assertSame(new BenchShape(3, 1, 12, 10), kind, 6, (x, y) -> hinge.evaluate(y, x),
                        (x, y) -> LoopBaseline.hinge(x, y, ignore, perImage), "hinge " + what);
            }
        }
    }

    @Test
    void realisticLabelsHaveAboutFiveClassesAndFivePercentIgnore() {
        int width = 128;
        int pixels = 96 * width;
        int[] labels = LabelMaps.generate(LabelKind.REALISTIC, new BenchShape(6, 21, 96, width), 11);
        for (int b = 0; b < 6; b++) {
            int[] image = Arrays.copyOfRange(labels, b * pixels, (b + 1) * pixels);
            BitSet classes = new BitSet(); // set() throws for a negative label
            Arrays.stream(image).filter(label -> label != LabelMaps.IGNORE_INDEX).forEach(classes::set);
            long ignored = Arrays.stream(image).filter(label -> label == LabelMaps.IGNORE_INDEX).count();
            // piecewise constant: few label changes along rows (boundaries), unlike noise
            long changes = IntStream.range(1, pixels).filter(i -> i % width > 0 && image[i] != image[i - 1]).count();
            assertTrue(classes.length() <= 21, "classes " + classes);
            assertTrue(classes.cardinality() >= 4 && classes.cardinality() <= 5, "classes " + classes);
            assertEquals(0.05, ignored / (double) pixels, 0.001, "ignored fraction of image " + b);
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
        assertEquals("n/a", BenchmarkMain.tableMs(Double.NaN));
        assertEquals("2.50", BenchmarkMain.fmt("%.2f", 2.5));
        assertEquals("n/a", BenchmarkMain.fmt("%.2f", Double.NaN));
    }

    /** Every variant of both families runs and repeats its value; the floor sorts the loss's rows. */
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
                        NDArray[] rows = b.floorRows();
                        Shape expected = b == hinge ? new Shape(perImage ? 2 : 1, perImage ? 20 : 40)
                                : perImage ? new Shape(6, 20) : new Shape(3, 40);
                        assertEquals(expected, rows[0].getShape());
                        assertEquals(expected, rows[1].getShape());
                    } finally {
                        b.tearDown();
                    }
                }
            }
        }
    }

    @Test
    void binaryCrossEntropyMatchesItsDefinition() {
        try (BenchInputs in = BenchInputs.of(new BenchShape(2, 1, 5, 7), LabelKind.UNIFORM, 3)) {
            float[] x = in.logits().toFloatArray();
            float[] y = in.crossEntropyLabels().toFloatArray();
            double expected = 0;
            for (int i = 0; i < x.length; i++) {
                double p = 1 / (1 + Math.exp(-x[i]));
                expected -= y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p);
            }
            NDArray bce = HingeBenchmark.binaryCrossEntropy(in.logits(), in.crossEntropyLabels());
            assertEquals(expected / x.length, bce.getFloat(), 1e-5);
        }
    }

    /** The same loss value and gradient from the library and the loop. */
    private static void assertSame(BenchShape shape, LabelKind kind, long seed,
            BiFunction<NDArray, NDArray, NDArray> ours, BiFunction<NDArray, NDArray, NDArray> loop, String what) {
        try (BenchInputs in = BenchInputs.of(shape, kind, seed)) {
            assertArrayEquals(valueAndGrad(in, ours), valueAndGrad(in, loop), 1e-5f, what + ": loss, then gradient");
        }
    }

    /** @return the loss value, then the gradient of the logits, from the benchmarks' forward + backward */
    private static float[] valueAndGrad(BenchInputs in, BiFunction<NDArray, NDArray, NDArray> loss) {
        float value = LossBenchmark.forwardBackward(in.manager(), () -> loss.apply(in.logits(), in.labels()));
        try (NDManager step = in.manager().newSubManager()) {
            NDArray grad = in.logits().getGradient();
            grad.attach(step);
            float[] result = step.create(value).reshape(1).concat(grad.flatten()).toFloatArray();
            grad.subi(grad); // reset the accumulated gradient for the next loss
            return result;
        }
    }
}
