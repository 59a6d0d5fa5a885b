package io.github.djllovasz.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.djllovasz.SegmentationBinaryCrossEntropyLoss;
import io.github.djllovasz.testutil.Grad;
import io.github.djllovasz.testutil.SeededArrays;
import io.github.djllovasz.testutil.TestArrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sigmoid focal loss (torchvision's {@code sigmoid_focal_loss} with a mean) against the
 * formula computed in plain Java doubles: per kept element with {@code p = σ(s)}, {@code p_t = p}
 * for {@code y = 1} and {@code 1 − p} for {@code y = 0},
 *
 * <pre>
 *   term = α_t · (1 − p_t)^γ · (−log p_t),   α_t = α for y = 1, 1 − α for y = 0 (1 without α)
 * </pre>
 *
 * and the mean over the kept elements. Its derivative: {@code α·(1 − p)^γ·(γ·p·log p − (1 − p))}
 * for {@code y = 1}, {@code (1 − α)·p^γ·(p − γ·(1 − p)·log(1 − p))} for {@code y = 0}.
 */
class FocalBinaryCrossEntropyPropertiesTest {

    @RegisterExtension final TestArrays arrays = TestArrays.perTest();
    private final SeededArrays random = arrays.seeded(2017);

    private static final int B = 2;
    private static final int C = 3;
    private static final int H = 4;
    private static final int W = 5;
    private static final int N = B * C * H * W;
    private static final int IGNORE = 255;
    private static final double[] GAMMAS = {0, 0.5, 2};
    private static final Double[] ALPHAS = {null, 0.25};

    /** The loss (entry 0) and its gradient (entries 1..); labels outside {0, 1} or not kept are dropped. */
    private static double[] reference(double[] s, long[] y, long[] keep, Double alpha, double gamma) {
        double[] out = new double[1 + s.length];
        int kept = 0;
        for (int i = 0; i < s.length; i++) {
            kept += y[i] <= 1 && (keep == null || keep[i] == 1) ? 1 : 0;
        }
        for (int i = 0; i < s.length; i++) {
            if (y[i] > 1 || keep != null && keep[i] == 0) {
                continue;
            }
            double p = 1 / (1 + Math.exp(-s[i]));
            double a = alpha == null ? 1 : y[i] == 1 ? alpha : 1 - alpha;
            double term;
            double derivative;
            if (y[i] == 1) {
                term = Math.pow(1 - p, gamma) * -Math.log(p);
                derivative = Math.pow(1 - p, gamma) * (gamma * p * Math.log(p) - (1 - p));
            } else {
                term = Math.pow(p, gamma) * -Math.log(1 - p);
                derivative = Math.pow(p, gamma) * (p - gamma * (1 - p) * Math.log(1 - p));
            }
            out[0] += a * term / kept;
            out[1 + i] = a * derivative / kept;
        }
        return out;
    }

    private static SegmentationBinaryCrossEntropyLoss loss(Integer ignore, Double alpha, double gamma) {
        SegmentationBinaryCrossEntropyLoss.Builder builder = SegmentationBinaryCrossEntropyLoss.builder().optGamma(gamma);
        if (ignore != null) {
            builder.optIgnoreIndex(ignore);
        }
        if (alpha != null) {
            builder.optAlpha(alpha);
        }
        return builder.build();
    }

    /**
     * Multilabel logits [B, C, H, W] with 0/1 labels of the same shape: all kept, some ignored, or a
     * keep mask; float64 to 1e-12 and float32 to float32 accuracy.
     */
    @Test
    void matchesTheFormulaInDoubles() {
        double[] logits = random.normalValues(N, SeededArrays.LOGIT_SCALE);
        long[] labels = random.labelValues(N, 2);
        long[] ignoring = random.labelValues(N, 2, 5, IGNORE);
        long[] keep = random.labelValues(N, 2);
        for (DataType type : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
            NDArray x = arrays.create(logits, B, C, H, W).toType(type, false);
            double[] s = Grad.toDoubles(x);
            double tolerance = type == DataType.FLOAT64 ? 1e-12 : 2e-6;
            for (double gamma : GAMMAS) {
                for (Double alpha : ALPHAS) {
                    for (int variant = 0; variant < 3; variant++) {
                        String what = type + ", gamma " + gamma + ", alpha " + alpha + ", variant " + variant;
                        long[] y = variant == 1 ? ignoring : labels;
                        long[] mask = variant == 2 ? keep : null;
                        NDList targets = new NDList(arrays.create(y, B, C, H, W));
                        if (mask != null) {
                            targets.add(arrays.create(mask, B, C, H, W));
                        }
                        SegmentationBinaryCrossEntropyLoss loss = loss(variant == 1 ? IGNORE : null, alpha, gamma);
                        Grad g = Grad.of(x, a -> loss.evaluate(targets, new NDList(a)));
                        double[] expected = reference(s, y, mask, alpha, gamma);
                        assertEquals(expected[0], g.loss, tolerance * Math.max(1, expected[0]), what);
                        for (int i = 0; i < N; i++) {
                            assertEquals(expected[1 + i], g.gradient[i], tolerance, what + ", gradient " + i);
                            if (y[i] == IGNORE || mask != null && mask[i] == 0) {
                                assertEquals(0.0, g.gradient[i], 0.0, what + ": a dropped element's gradient is 0");
                            }
                        }
                    }
                }
            }
        }
    }

    /** γ = 0 without α is the plain loss bit for bit; α = 1/2 halves it. */
    @Test
    void gammaZeroWithoutAlphaIsThePlainLoss() {
        NDArray x = random.logits(B, C, H, W);
        NDArray y = random.labelsIgnoring(2, 5, IGNORE, B, C, H, W);
        Grad plain = Grad.of(x, a -> loss(IGNORE, null, 0).evaluate(y, a));
        Grad builtDefault = Grad.of(x, a -> SegmentationBinaryCrossEntropyLoss.builder().optIgnoreIndex(IGNORE).build().evaluate(y, a));
        assertEquals(builtDefault.loss, plain.loss, 0.0);
        assertArrayEquals(builtDefault.gradient, plain.gradient, 0.0);
        Grad half = Grad.of(x, a -> loss(IGNORE, 0.5, 0).evaluate(y, a));
        assertEquals(plain.loss / 2, half.loss, 1e-15 * plain.loss);
        for (int i = 0; i < N; i++) {
            assertEquals(plain.gradient[i] / 2, half.gradient[i], 1e-16, "gradient " + i);
        }
    }

    /** Logits of ±60, right and wrong, give a finite loss and finite gradients. */
    @Test
    void saturatedLogitsGiveFiniteGradients() {
        double[] logits = new double[N];
        long[] labels = new long[N];
        double expected = 0;
        for (int i = 0; i < N; i++) {
            logits[i] = i % 2 == 0 ? 60 : -60;
            labels[i] = i % 3 == 0 ? 1 : 0;
            boolean wrong = (logits[i] > 0) != (labels[i] == 1);
            // a wrong element: α_t = 1/2, (1 − p_t)^γ = 1, −log p_t = 60; a right one: about 0
            expected += wrong ? 0.5 * 60 / N : 0;
        }
        NDArray y = arrays.create(labels, B, C, H, W);
        for (DataType type : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
            NDArray x = arrays.create(logits, B, C, H, W).toType(type, false);
            for (double gamma : new double[] {0.5, 2}) {
                Grad g = Grad.of(x, a -> loss(null, 0.5, gamma).evaluate(y, a));
                String what = type + ", gamma " + gamma;
                assertTrue(Double.isFinite(g.loss), what + ": loss " + g.loss);
                for (int i = 0; i < N; i++) {
                    assertTrue(Double.isFinite(g.gradient[i]), what + ": gradient " + i + " = " + g.gradient[i]);
                }
                assertEquals(expected, g.loss, 1e-4, what);
            }
        }
    }

    /** Settings out of range are rejected, naming the value. */
    @Test
    void invalidSettingsAreRejectedNamingTheValue() {
        for (double gamma : new double[] {-0.5, Double.NaN, Double.NEGATIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> SegmentationBinaryCrossEntropyLoss.builder().optGamma(gamma));
            assertTrue(e.getMessage().contains("got " + gamma), e.getMessage());
        }
        for (double alpha : new double[] {-0.1, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> SegmentationBinaryCrossEntropyLoss.builder().optAlpha(alpha));
            assertTrue(e.getMessage().contains("[0, 1], got " + alpha), e.getMessage());
        }
    }


    /** Getters, and toString showing the settings. */
    @Test
    void gettersAndToString() {
        SegmentationBinaryCrossEntropyLoss plain = SegmentationBinaryCrossEntropyLoss.builder().build();
        assertNull(plain.getAlpha());
        assertEquals(0.0, plain.getGamma(), 0.0);
        assertEquals("SegmentationBinaryCrossEntropyLoss{ignoreIndex=null}", plain.toString());
        SegmentationBinaryCrossEntropyLoss focal = loss(IGNORE, 0.25, 2);
        assertEquals(0.25, focal.getAlpha(), 0.0);
        assertEquals(2.0, focal.getGamma(), 0.0);
        assertEquals("SegmentationBinaryCrossEntropyLoss{ignoreIndex=255, gamma=2.0, alpha=0.25}", focal.toString());
    }
}
