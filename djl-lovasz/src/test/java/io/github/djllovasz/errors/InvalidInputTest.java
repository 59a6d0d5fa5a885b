package io.github.djllovasz.errors;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.djllovasz.ClassSelection;
import io.github.djllovasz.Lovasz;
import io.github.djllovasz.LovaszHingeLoss;
import io.github.djllovasz.LovaszSoftmaxLoss;
import io.github.djllovasz.testutil.TestArrays;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/** Every invalid input is answered with an IllegalArgumentException naming the shape or value. */
class InvalidInputTest {

    @RegisterExtension final TestArrays arrays = TestArrays.perTest();

    /** Asserts an IllegalArgumentException whose message holds every fragment. */
    static void assertRejected(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    private static LovaszSoftmaxLoss softmax() {
        return LovaszSoftmaxLoss.builder().build();
    }

    @Test
    void predictionsWithoutClassAxis() {
        assertRejected(() -> softmax().evaluate(arrays.labels(0, 6), arrays.logits(6)), "(6)");
    }

    @Test
    void labelShapeMismatch() {
        assertRejected(
                () -> softmax().evaluate(arrays.labels(0, 2, 5, 5), arrays.logits(2, 3, 5, 6)), "(2, 5, 5)", "(2, 3, 5, 6)");
    }

    @Test
    void batchMismatch() {
        assertRejected(
                () -> softmax().evaluate(arrays.labels(0, 3, 5, 6), arrays.logits(2, 3, 5, 6)), "(3, 5, 6)", "(2, 3, 5, 6)");
    }

    @Test
    void oneHotLabelsByMistake() {
        NDArray oneHot = arrays.manager().zeros(new Shape(2, 3, 4, 4));
        assertRejected(() -> softmax().evaluate(oneHot, arrays.logits(2, 3, 4, 4)), "(2, 3, 4, 4)");
    }

    @Test
    void probabilityLabelsByMistake() {
        NDArray probas = arrays.manager().full(new Shape(2, 4, 4), 0.25f);
        assertRejected(() -> softmax().evaluate(probas, arrays.logits(2, 3, 4, 4)), "0.25");
    }

    @Test
    void classAxisOutOfRange() {
        LovaszSoftmaxLoss loss = LovaszSoftmaxLoss.builder().optClassAxis(4).build();
        assertRejected(() -> loss.evaluate(arrays.labels(0, 2, 4, 4), arrays.logits(2, 3, 4, 4)), "class axis 4", "(2, 3, 4, 4)");
        assertRejected(() -> LovaszSoftmaxLoss.builder().optClassAxis(0), "batch axis");
    }

    @Test
    void labelNotBelowC() {
        NDArray y = arrays.labels(1, 2, 4, 4);
        y.set(new ai.djl.ndarray.index.NDIndex("1, 2, 3"), 3);
        assertRejected(() -> softmax().evaluate(y, arrays.logits(2, 3, 4, 4)), "label 3", "[0, 3)");
    }

    @Test
    void negativeLabel() {
        NDArray y = arrays.labels(1, 2, 4, 4);
        y.set(new ai.djl.ndarray.index.NDIndex("0, 0, 0"), -1);
        assertRejected(() -> softmax().evaluate(y, arrays.logits(2, 3, 4, 4)), "label -1");
    }

    @Test
    void labelOutsideRangeIsFineWhenIgnored() {
        NDArray y = arrays.labels(255, 2, 4, 4);
        LovaszSoftmaxLoss loss = LovaszSoftmaxLoss.builder().optIgnoreIndex(255).build();
        assertTrue(loss.evaluate(y, arrays.logits(2, 3, 4, 4)).getFloat() == 0f);
        assertRejected(() -> softmax().evaluate(y, arrays.logits(2, 3, 4, 4)), "label 255", "no ignore index");
    }

    @Test
    void nonIntegerFloatLabels() {
        NDArray y = arrays.manager().full(new Shape(2, 4, 4), 1.5f);
        assertRejected(() -> softmax().evaluate(y, arrays.logits(2, 3, 4, 4)), "1.5");
    }

    @Test
    void zeroSizeAxisWithImages() {
        // B = 0 is a device's empty shard and gives 0 (EmptyShardTest); a zero-size spatial or
        // class axis with images is a mistake.
        assertRejected(() -> softmax().evaluate(arrays.labels(0, 2, 0, 4), arrays.logits(2, 3, 0, 4)), "(2, 3, 0, 4)", "empty");
        assertRejected(() -> softmax().evaluate(arrays.labels(0, 2, 4, 4), arrays.logits(2, 0, 4, 4)), "(2, 0, 4, 4)", "empty");
        assertRejected(
                () -> LovaszHingeLoss.builder().build().evaluate(arrays.labels(0, 2, 0, 4), arrays.logits(2, 0, 4)), "empty");
    }

    @Test
    void emptyBatchWithLabelsThatDoNotFit() {
        // An empty shard is still checked for shapes: labels [0, 5, 4] do not fit [0, 3, 4, 4].
        assertRejected(() -> softmax().evaluate(arrays.labels(0, 0, 5, 4), arrays.logits(0, 3, 4, 4)), "(0, 5, 4)", "(0, 3, 4, 4)");
        assertRejected(
                () -> LovaszHingeLoss.builder().build().evaluate(arrays.labels(0, 0, 4, 5), arrays.logits(0, 4, 4)), "(0, 4, 5)");
    }

    @Test
    void sigmoidModeClassList() {
        LovaszSoftmaxLoss zero = LovaszSoftmaxLoss.builder().optClasses(0).build();
        assertRejected(() -> zero.evaluate(arrays.labels(1, 2, 4, 4), arrays.logits(2, 1, 4, 4)), "C = 1", "[0]");
        LovaszSoftmaxLoss two = LovaszSoftmaxLoss.builder().optClasses(1, 2).build();
        assertRejected(() -> two.evaluate(arrays.labels(1, 2, 4, 4), arrays.logits(2, 1, 4, 4)), "[1, 2]");
    }

    @Test
    void sigmoidModeLabels() {
        assertRejected(() -> softmax().evaluate(arrays.labels(2, 2, 4, 4), arrays.logits(2, 1, 4, 4)), "label 2", "{0, 1}");
    }

    @Test
    void classListNamesMissingClass() {
        LovaszSoftmaxLoss loss = LovaszSoftmaxLoss.builder().optClasses(0, 5).build();
        assertRejected(() -> loss.evaluate(arrays.labels(0, 2, 4, 4), arrays.logits(2, 3, 4, 4)), "class 5", "C = 3");
    }

    @Test
    void emptyOrNegativeClassList() {
        assertRejected(() -> ClassSelection.of(), "empty");
        assertRejected(() -> ClassSelection.of(1, -2), "-2");
    }

    @Test
    void integerPredictions() {
        NDArray ints = arrays.manager().zeros(new Shape(2, 3, 4, 4), DataType.INT32);
        assertRejected(() -> softmax().evaluate(arrays.labels(0, 2, 4, 4), ints), "floating-point", "int32");
        assertRejected(() -> LovaszHingeLoss.builder().build().evaluate(arrays.labels(0, 3, 4, 4), ints.get("0")), "int32");
    }

    @Test
    void probabilitiesOutsideUnitInterval() {
        LovaszSoftmaxLoss probas = LovaszSoftmaxLoss.builder().optFromLogits(false).build();
        NDArray p = arrays.manager().full(new Shape(2, 3, 4, 4), 1.5f);
        assertRejected(() -> probas.evaluate(arrays.labels(0, 2, 4, 4), p), "[0, 1]", "1.5");
        assertRejected(() -> Lovasz.softmax(arrays.labels(0, 2, 4, 4), p, ClassSelection.ALL, false, null), "1.5");
    }

    @Test
    void hingeLabelOtherThanZeroOne() {
        assertRejected(() -> LovaszHingeLoss.builder().build().evaluate(arrays.labels(2, 2, 4, 4), arrays.logits(2, 4, 4)), "label 2", "{0, 1}");
    }

    @Test
    void hingeShapeMismatch() {
        assertRejected(
                () -> LovaszHingeLoss.builder().build().evaluate(arrays.labels(0, 2, 4, 5), arrays.logits(2, 4, 4)), "(2, 4, 5)", "(2, 4, 4)");
        assertRejected(
                () -> LovaszHingeLoss.builder().build().evaluate(arrays.labels(0, 2, 4, 4), arrays.logits(2, 2, 4, 4)), "(2, 2, 4, 4)");
    }

    @Test
    void flatFunctionsCheckRanks() {
        assertRejected(() -> Lovasz.hingeFlat(arrays.labels(0, 2, 3), arrays.logits(2, 3)), "(2, 3)");
        assertRejected(() -> Lovasz.softmaxFlat(arrays.labels(0, 6), arrays.logits(6), ClassSelection.ALL), "(6)");
        assertRejected(() -> Lovasz.lovaszGrad(arrays.logits(2, 2, 2)), "(2, 2, 2)");
    }

    @Test
    void everyPixelIgnoredGivesZero() {
        NDArray y = arrays.labels(255, 2, 4, 4);
        for (boolean perImage : new boolean[] {false, true}) {
            LovaszSoftmaxLoss loss = LovaszSoftmaxLoss.builder().optPerImage(perImage).optIgnoreIndex(255).build();
            assertTrue(loss.evaluate(y, arrays.logits(2, 3, 4, 4)).getFloat() == 0f, "softmax perImage=" + perImage);
            LovaszHingeLoss hinge = LovaszHingeLoss.builder().optPerImage(perImage).optIgnoreIndex(255).build();
            assertTrue(hinge.evaluate(y, arrays.logits(2, 4, 4)).getFloat() == 0f, "hinge perImage=" + perImage);
        }
    }

    @Test
    void exactlyOneValidPixelGivesOneMinusItsProbability() {
        NDArray y = arrays.labels(255, 1, 3, 3);
        y.set(new ai.djl.ndarray.index.NDIndex("0, 1, 2"), 2);
        NDArray x = arrays.logits(1, 4, 3, 3);
        float p = x.softmax(1).get("0, 2, 1, 2").getFloat();
        LovaszSoftmaxLoss loss = LovaszSoftmaxLoss.builder().optIgnoreIndex(255).build();
        org.junit.jupiter.api.Assertions.assertEquals(1 - p, loss.evaluate(y, x).getFloat(), 1e-6);
    }

    @Test
    void duplicateClassIdsCountTwice() {
        NDArray x = arrays.logits(2, 3, 4, 4);
        NDArray y = arrays.manager().randomInteger(0, 3, new Shape(2, 4, 4), DataType.INT64);
        float l1 = LovaszSoftmaxLoss.builder().optClasses(1).build().evaluate(y, x).getFloat();
        float l2 = LovaszSoftmaxLoss.builder().optClasses(2).build().evaluate(y, x).getFloat();
        float dup = LovaszSoftmaxLoss.builder().optClasses(1, 1, 2).build().evaluate(y, x).getFloat();
        org.junit.jupiter.api.Assertions.assertEquals((2 * l1 + l2) / 3, dup, 1e-6);
    }

    @Test
    void predictionsAndLabelsOnDifferentDevices() {
        if (ai.djl.engine.Engine.getInstance().getGpuCount() == 0) {
            System.out.println("devices: not tested: no GPU, so no second device");
            org.junit.jupiter.api.Assumptions.abort("no GPU: predictions and labels cannot be on different devices");
        }
        NDArray x = arrays.logits(2, 3, 4, 4).toDevice(ai.djl.Device.gpu(), false);
        assertRejected(() -> softmax().evaluate(arrays.labels(0, 2, 4, 4), x), "gpu", "cpu");
    }
}
