package io.github.djllovasz.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import io.github.djllovasz.LovaszHingeLoss;
import io.github.djllovasz.LovaszSoftmaxLoss;
import io.github.djllovasz.testutil.Grad;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/**
 * Non-finite predictions propagate (as in DJL's cross-entropy) instead of being rejected: NaN
 * gives NaN; a +Inf logit makes the softmax NaN, a −Inf logit is a probability of 0 (finite loss);
 * a ±Inf hinge logit gives a non-finite loss. float16 predictions work.
 */
class NonFiniteAndHalfPrecisionTest {

    @Test
    void nanOrInfinityInPredictionsGivesNan() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray labels = ReliabilityFixtures.labels(manager, 2, 3, 2, 4, 4);
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                NDArray logits = ReliabilityFixtures.logits(manager, 1, 2, 3, 4, 4).toType(DataType.FLOAT32, false);
                logits.set(new NDIndex("1, 2, 3, 0"), bad);
                float loss = ReliabilityFixtures.softmax(false).evaluate(labels, logits).getFloat();
                // +Inf logits make a NaN softmax; −Inf only zeroes a probability (finite loss).
                if (bad == Float.NEGATIVE_INFINITY) {
                    assertTrue(Float.isFinite(loss), "softmax with -Inf logit: " + loss);
                } else {
                    assertTrue(Float.isNaN(loss), "softmax with " + bad + ": " + loss);
                }
                NDArray hingeLogits = ReliabilityFixtures.logits(manager, 3, 2, 4, 4).toType(DataType.FLOAT32, false);
                hingeLogits.set(new NDIndex("0, 1, 1"), bad);
                NDArray binary = ReliabilityFixtures.labels(manager, 4, 2, 2, 4, 4);
                float h = LovaszHingeLoss.builder().build().evaluate(binary, hingeLogits).getFloat();
                assertTrue(!Float.isFinite(h), "hinge with " + bad + ": " + h);
            }
        }
    }

    /**
     * float16 predictions give the float32 loss of the same values and, where the engine can hold
     * a float16 gradient (PyTorch; DJL's MXNet engine cannot), a float16 gradient. bfloat16 is not
     * tested: DJL's PyTorch JNI (0.29.0 and 0.35.1) aborts the JVM on any bfloat16 operation.
     */
    @Test
    void float16MatchesFloat32WhereTheEngineHasFloat16Gradients() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray labels = ReliabilityFixtures.labels(manager, 6, 4, 2, 16, 16);
            NDArray binary = ReliabilityFixtures.labels(manager, 7, 2, 2, 16, 16);
            DataType half = DataType.FLOAT16;
            // Values representable in float16, so float32 sees exactly the same input.
            NDArray logits = ReliabilityFixtures.logits(manager, 5, 2, 4, 16, 16).toType(half, false);
            NDArray reference = logits.toType(DataType.FLOAT32, false);
            NDArray hingeLogits = ReliabilityFixtures.logits(manager, 8, 2, 16, 16).toType(half, false);
            NDArray hingeReference = hingeLogits.toType(DataType.FLOAT32, false);
            LovaszSoftmaxLoss softmax = ReliabilityFixtures.softmax(true);
            LovaszHingeLoss hinge = ReliabilityFixtures.hinge(true);
            assertHalfMatches(half, logits, reference, x -> softmax.evaluate(labels, x));
            assertHalfMatches(half, hingeLogits, hingeReference, x -> hinge.evaluate(binary, x));
        }
    }

    private static void assertHalfMatches(
            DataType half, NDArray input, NDArray reference, java.util.function.Function<NDArray, NDArray> f) {
        Grad expected = Grad.of(reference, f);
        assertEquals(expected.loss, Grad.value(input, f), 1e-6, half + " loss, forward only");
        NDArray x = input.duplicate();
        try {
            x.setRequiresGradient(true);
        } catch (UnsupportedOperationException e) {
            String engine = Engine.getInstance().getEngineName().toLowerCase();
            System.out.println(
                    "float16[" + engine + "]: forward loss checked; gradient not tested: the engine cannot"
                            + " create a float16 gradient (" + e.getMessage() + ")");
            return;
        }
        double loss;
        NDArray gradient;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray l = f.apply(x);
            loss = l.toType(DataType.FLOAT64, false).getDouble();
            collector.backward(l);
        }
        gradient = x.getGradient();
        assertEquals(half, gradient.getDataType(), "gradient type");
        // Same input values and float32 arithmetic inside: the loss agrees to float32 rounding.
        assertEquals(expected.loss, loss, 1e-6, half + " loss");
        double[] g = Grad.toDoubles(gradient);
        // The gradient is the float32 one rounded to float16: relative error ≤ 2^-11, or the
        // float16 subnormal step (6e-8) near 0.
        for (int i = 0; i < g.length; i++) {
            double want = expected.gradient[i];
            assertEquals(want, g[i], Math.abs(want) * 4.9e-4 + 6e-8, half + " gradient " + i);
        }
    }
}
