package io.github.djllovasz.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.djllovasz.ClassSelection;
import io.github.djllovasz.SegmentationCrossEntropyLoss;
import io.github.djllovasz.InputContract;
import io.github.djllovasz.SoftTargets;
import io.github.djllovasz.TverskyLoss;
import io.github.djllovasz.testutil.Grad;
import io.github.djllovasz.testutil.TestArrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/**
 * The inputs the Jaccard, Dice and Tversky losses (and the cross-entropy with soft targets) add:
 * each invalid one is an IllegalArgumentException naming the shape or value.
 */
class SoftLabelInputTest {

    @RegisterExtension final TestArrays arrays = TestArrays.perTest();

    private static void assertRejected(Executable call, String... fragments) {
        InvalidInputTest.assertRejected(call, fragments);
    }

    private static TverskyLoss soft() {
        return TverskyLoss.jaccard().optSoftLabels(true).build();
    }

    /** Uniform soft targets 1/C of shape [2, 3, 4, 4]. */
    private NDArray uniform() {
        return arrays.manager().full(new Shape(2, 3, 4, 4), 1f / 3);
    }

    @Test
    void singleClassIsRejected() {
        NDArray y = arrays.manager().ones(new Shape(2, 1, 4, 4));
        assertRejected(() -> soft().evaluate(y, arrays.logits(2, 1, 4, 4)), "C = 1", "(2, 1, 4, 4)", "LovaszHingeLoss");
        assertRejected(
                () -> TverskyLoss.dice().build().evaluate(arrays.labels(0, 2, 4, 4), arrays.logits(2, 1, 4, 4)), "C = 1");
    }

    @Test
    void labelOutsideRangeIsRejected() {
        NDArray y = arrays.labels(1, 2, 4, 4);
        y.set(new NDIndex("1, 2, 3"), 255);
        assertRejected(() -> TverskyLoss.jaccard().build().evaluate(y, arrays.logits(2, 3, 4, 4)), "label 255", "[0, 3)");
        NDArray negative = arrays.labels(1, 2, 4, 4);
        negative.set(new NDIndex("0, 0, 0"), -1);
        assertRejected(() -> TverskyLoss.jaccard().build().evaluate(negative, arrays.logits(2, 3, 4, 4)), "label -1");
        // ignored, or dropped by the keep mask: fine
        TverskyLoss.jaccard().optIgnoreIndex(255).build().evaluate(y, arrays.logits(2, 3, 4, 4));
        NDArray keep = arrays.labels(1, 2, 4, 4);
        keep.set(new NDIndex("1, 2, 3"), 0);
        TverskyLoss.jaccard().build().evaluate(new NDList(y, keep), new NDList(arrays.logits(2, 3, 4, 4)));
    }

    @Test
    void softLabelsNotSummingToOne() {
        NDArray y = uniform();
        y.set(new NDIndex("1, 0, 2, 3"), 0.5);
        assertRejected(() -> soft().evaluate(y, arrays.logits(2, 3, 4, 4)), "sum to 1", "within 1.0E-4", "1.16666");
        // within the tolerance, or at a dropped pixel: fine
        NDArray close = uniform();
        close.set(new NDIndex("1, 0, 2, 3"), 1.0 / 3 + 0.5 * InputContract.SOFT_LABEL_TOLERANCE);
        soft().evaluate(close, arrays.logits(2, 3, 4, 4));
        NDArray keep = arrays.labels(1, 2, 4, 4);
        keep.set(new NDIndex("1, 2, 3"), 0);
        soft().evaluate(new NDList(y, keep), new NDList(arrays.logits(2, 3, 4, 4)));
    }

    @Test
    void negativeOrNanSoftLabels() {
        NDArray negative = uniform();
        negative.set(new NDIndex("0, 1, 0, 0"), -0.25);
        negative.set(new NDIndex("0, 2, 0, 0"), 1.0 / 3 + 0.25 + 1.0 / 3);
        assertRejected(() -> soft().evaluate(negative, arrays.logits(2, 3, 4, 4)), "[0, 1]", "-0.25");
        NDArray nan = uniform();
        nan.set(new NDIndex("1, 1, 1, 1"), Double.NaN);
        assertRejected(() -> soft().evaluate(nan, arrays.logits(2, 3, 4, 4)), "non-finite", "NaN");
        NDArray inf = uniform();
        inf.set(new NDIndex("1, 1, 1, 1"), Double.POSITIVE_INFINITY);
        assertRejected(() -> soft().evaluate(inf, arrays.logits(2, 3, 4, 4)), "non-finite", "Infinity");
    }

    @Test
    void softLabelsOfTheWrongShapeOrType() {
        assertRejected(() -> soft().evaluate(arrays.labels(0, 2, 4, 4), arrays.logits(2, 3, 4, 4)), "floating-point", "(2, 4, 4)");
        NDArray y = arrays.manager().full(new Shape(2, 3, 4, 4), 1f / 3);
        assertRejected(() -> soft().evaluate(y.toType(DataType.INT32, false), arrays.logits(2, 3, 4, 4)), "floating-point");
        assertRejected(() -> soft().evaluate(y, arrays.logits(2, 3, 4, 5)), "(2, 3, 4, 4)", "(2, 3, 4, 5)");
        // class ids where soft labels are expected, and one-hot labels without optSoftLabels
        assertRejected(() -> TverskyLoss.jaccard().build().evaluate(uniform(), arrays.logits(2, 3, 4, 4)), "(2, 3, 4, 4)");
    }

    @Test
    void keepMaskShapeMismatch() {
        NDArray y = arrays.labels(1, 2, 4, 4);
        NDArray keep = arrays.labels(1, 2, 4, 5);
        assertRejected(
                () -> TverskyLoss.jaccard().build().evaluate(new NDList(y, keep), new NDList(arrays.logits(2, 3, 4, 4))),
                "keep mask of shape (2, 4, 5)", "(2, 3, 4, 4)");
        assertRejected(
                () -> soft().evaluate(new NDList(uniform(), arrays.labels(1, 2, 3, 4, 4)), new NDList(arrays.logits(2, 3, 4, 4))),
                "keep mask of shape (2, 3, 4, 4)");
    }

    @Test
    void keepMaskOtherThanZeroOne() {
        NDArray keep = arrays.labels(1, 2, 4, 4);
        keep.set(new NDIndex("0, 1, 1"), 2);
        assertRejected(
                () -> TverskyLoss.jaccard().build().evaluate(new NDList(arrays.labels(1, 2, 4, 4), keep), new NDList(arrays.logits(2, 3, 4, 4))),
                "keep mask", "0 (drop) and 1 (keep)", "2.0");
    }

    @Test
    void keepMaskTogetherWithIgnoreIndex() {
        TverskyLoss loss = TverskyLoss.jaccard().optIgnoreIndex(255).build();
        NDList labels = new NDList(arrays.labels(1, 2, 4, 4), arrays.labels(1, 2, 4, 4));
        assertRejected(() -> loss.evaluate(labels, new NDList(arrays.logits(2, 3, 4, 4))), "keep mask and the ignore index 255");
        NDList three = new NDList(arrays.labels(1, 2, 4, 4), arrays.labels(1, 2, 4, 4), arrays.labels(1, 2, 4, 4));
        assertRejected(() -> TverskyLoss.jaccard().build().evaluate(three, new NDList(arrays.logits(2, 3, 4, 4))), "got 3 arrays");
    }

    @Test
    void optionsOutOfRange() {
        assertRejected(() -> TverskyLoss.jaccard().optGamma(0.5), "gamma", "0.5");
        assertRejected(() -> TverskyLoss.jaccard().optNorm(0.5), "norm", "0.5");
        assertRejected(() -> TverskyLoss.jaccard().optAlpha(-1), "alpha", "-1");
        assertRejected(() -> TverskyLoss.jaccard().optSmooth(Double.NaN), "smooth", "NaN");
        assertRejected(() -> TverskyLoss.jaccard().optThreshold(1), "threshold", "1.0");
        assertRejected(() -> TverskyLoss.jaccard().optReductionWeights(0, 0, 0), "all 0");
        assertRejected(() -> TverskyLoss.jaccard().optLabelSmoothing(1), "[0, 1)", "1.0");
        assertRejected(() -> TverskyLoss.jaccard().optClasses(ClassSelection.of(1, 2)), "PRESENT or ALL", "[1, 2]");
        assertRejected(() -> TverskyLoss.jaccard().optClassWeights(1, -2, 1), "-2.0");
        assertRejected(
                () -> TverskyLoss.jaccard().optClassWeights(1, 1).build().evaluate(arrays.labels(0, 2, 4, 4), arrays.logits(2, 3, 4, 4)),
                "classWeights has 2 entries", "C = 3");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TverskyLoss.jaccard().optSoftLabels(true).optIgnoreIndex(255).build());
        assertTrue(e.getMessage().contains("keep mask"), e.getMessage());
        assertThrows(IllegalStateException.class,
                () -> SegmentationCrossEntropyLoss.builder().optSoftLabels(true).optLabelSmoothing(0.1).build());
    }

    @Test
    void labelSmoothingHelperChecksItsInputs() {
        NDArray ids = arrays.create(new long[] {0, 2, 1, 2}, 1, 2, 2);
        NDArray t = SoftTargets.labelSmoothing(ids, 3, 0.3);
        assertEquals(new Shape(1, 3, 2, 2), t.getShape());
        assertEquals(DataType.FLOAT32, t.getDataType());
        // pixel (0, 0) is class 0: 0.7 + 0.1, 0.1, 0.1; pixel (0, 1) is class 2: 0.1, 0.1, 0.8
        float[] v = t.toFloatArray();
        float[] want = {0.8f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.8f, 0.1f, 0.1f, 0.8f, 0.1f, 0.8f};
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], v[i], 1e-7, "entry " + i);
        }
        assertRejected(() -> SoftTargets.labelSmoothing(ids, 2, 0.1), "label 2", "[0, 2)");
        assertRejected(() -> SoftTargets.labelSmoothing(ids, 1, 0.1), "C >= 2");
        assertRejected(() -> SoftTargets.labelSmoothing(ids, 3, -0.1), "-0.1");
    }

    @Test
    void everyDroppedPixelGivesZero() {
        NDArray y = uniform();
        NDArray keep = arrays.manager().zeros(new Shape(2, 4, 4), DataType.BOOLEAN);
        for (TverskyLoss loss : new TverskyLoss[] {
            TverskyLoss.jaccard().optSoftLabels(true).build(),
            TverskyLoss.dice().optSoftLabels(true).optSoftClasses(ClassSelection.PRESENT).optPerImage(true).build(),
        }) {
            Grad g = Grad.of(arrays.logits(2, 3, 4, 4).toType(DataType.FLOAT64, false),
                    x -> loss.evaluate(new NDList(y, keep), new NDList(x)));
            assertEquals(0.0, g.loss, 1e-15, loss.toString());
            for (double d : g.gradient) {
                assertEquals(0.0, d, 0.0, loss.toString());
            }
        }
    }
}
