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
import io.github.djllovasz.SegmentationCrossEntropyLoss;
import io.github.djllovasz.testutil.Grad;
import io.github.djllovasz.testutil.SeededArrays;
import io.github.djllovasz.testutil.TestArrays;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The class-weighted focal cross-entropy against the formula computed in plain Java doubles:
 *
 * <pre>
 *   loss = (1/|V|) · Σ_{i∈V} Σ_c w_c · t_i(c) · (1 − p_i(c))^γ · (−log p_i(c))
 * </pre>
 *
 * with its gradient by the chain rule through the softmax: with {@code h_c = w_c·t_c·[γ·(1 −
 * p_c)^(γ−1)·p_c·log p_c − (1 − p_c)^γ]}, {@code dL/ds_k = (h_k − p_k·Σ_c h_c) / |V|} for logits
 * and {@code dL/dp_c = h_c / (p_c·|V|)} for probabilities.
 */
class FocalCrossEntropyPropertiesTest {

    @RegisterExtension final TestArrays arrays = TestArrays.perTest();
    private final SeededArrays random = arrays.seeded(1708);

    private static final int B = 2;
    private static final int C = 4;
    private static final int H = 3;
    private static final int W = 5;
    private static final int P = H * W;
    private static final int IGNORE = 255;
    private static final double[] WEIGHTS = {0.5, 0, 2, 1.5};
    private static final double[] GAMMAS = {0, 0.5, 2};

    /** The kinds of targets and predictions the loss takes. */
    private enum Kind { IDS, IGNORE, KEEP_MASK, SMOOTHING, SOFT_KEEP, AXIS_LAST, PROBABILITIES }

    /** One drawn case: inputs in the loss's layout and per-pixel targets in [B, C, P] order. */
    private static final class Case {
        Kind kind;
        double[] values; // [B, C, P] logits, or probabilities for PROBABILITIES
        double[][] targets; // [B·P][C], null where the pixel is dropped
        NDList labels;
        UnaryOperator<SegmentationCrossEntropyLoss.Builder> settings = b -> b;

        /** A fresh builder with the case's input settings. */
        SegmentationCrossEntropyLoss.Builder builder() {
            return settings.apply(SegmentationCrossEntropyLoss.builder());
        }
    }

    private Case draw(Kind kind) {
        Case k = new Case();
        k.kind = kind;
        k.values = random.normalValues(B * C * P, SeededArrays.LOGIT_SCALE);
        k.targets = new double[B * P][];
        long[] ids = kind == Kind.IDS || kind == Kind.KEEP_MASK || kind == Kind.SOFT_KEEP
                ? random.labelValues(B * P, C)
                : random.labelValues(B * P, C, 4, IGNORE);
        long[] keep = random.labelValues(B * P, 2);
        double epsilon = kind == Kind.SMOOTHING ? 0.1 : 0;
        for (int i = 0; i < B * P; i++) {
            boolean dropped = ids[i] == IGNORE || (kind == Kind.KEEP_MASK || kind == Kind.SOFT_KEEP) && keep[i] == 0;
            if (!dropped) {
                k.targets[i] = new double[C];
                for (int c = 0; c < C; c++) {
                    k.targets[i][c] = (c == ids[i] ? 1 - epsilon : 0) + epsilon / C;
                }
            }
        }
        NDArray idArray = arrays.create(ids, B, H, W);
        NDArray keepArray = arrays.create(keep, B, H, W);
        switch (kind) {
            case IDS:
                k.labels = new NDList(idArray);
                break;
            case KEEP_MASK:
                k.labels = new NDList(idArray, keepArray);
                break;
            case SMOOTHING:
                k.settings = b -> b.optIgnoreIndex(IGNORE).optLabelSmoothing(epsilon);
                k.labels = new NDList(idArray);
                break;
            case SOFT_KEEP:
                double[] soft = softmax(random.normalValues(B * C * P, 1));
                for (int i = 0; i < B * P; i++) {
                    for (int c = 0; k.targets[i] != null && c < C; c++) {
                        k.targets[i][c] = soft[index(i, c)];
                    }
                }
                k.settings = b -> b.optSoftLabels(true);
                k.labels = new NDList(arrays.create(soft, B, C, H, W), keepArray);
                break;
            case PROBABILITIES:
                k.values = softmax(k.values);
                k.settings = b -> b.optIgnoreIndex(IGNORE).optFromLogits(false);
                k.labels = new NDList(idArray);
                break;
            default: // IGNORE, AXIS_LAST
                int axis = kind == Kind.AXIS_LAST ? -1 : 1;
                k.settings = b -> b.optIgnoreIndex(IGNORE).optClassAxis(axis);
                k.labels = new NDList(idArray);
        }
        return k;
    }

    /** The flat index of pixel {@code i = b·P + p} and class c in [B, C, P] order. */
    private static int index(int i, int c) {
        return ((i / P) * C + c) * P + i % P;
    }

    /** [B, C, P] to [B, P, C] (forward) or back. */
    private static double[] channelsLast(double[] values, boolean forward) {
        double[] out = new double[values.length];
        for (int i = 0; i < B * P; i++) {
            for (int c = 0; c < C; c++) {
                if (forward) {
                    out[i * C + c] = values[index(i, c)];
                } else {
                    out[index(i, c)] = values[i * C + c];
                }
            }
        }
        return out;
    }

    /** The softmax over the classes of [B, C, P] values. */
    private static double[] softmax(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < B * P; i++) {
            double[] lp = logSoftmax(x, i);
            for (int c = 0; c < C; c++) {
                out[index(i, c)] = Math.exp(lp[c]);
            }
        }
        return out;
    }

    private static double[] logSoftmax(double[] x, int i) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < C; c++) {
            max = Math.max(max, x[index(i, c)]);
        }
        double z = 0;
        for (int c = 0; c < C; c++) {
            z += Math.exp(x[index(i, c)] - max);
        }
        double[] lp = new double[C];
        for (int c = 0; c < C; c++) {
            lp[c] = x[index(i, c)] - max - Math.log(z);
        }
        return lp;
    }

    /**
     * The loss (entry 0) and its gradient (entries 1..) in [B, C, P] order, in doubles.
     *
     * @param k the case (its values are logits or probabilities)
     * @param weights w, or null for all 1
     * @param gamma γ
     */
    private static double[] reference(Case k, double[] weights, double gamma) {
        boolean logits = k.kind != Kind.PROBABILITIES;
        double[] out = new double[1 + k.values.length];
        int kept = 0;
        for (double[] t : k.targets) {
            kept += t == null ? 0 : 1;
        }
        for (int i = 0; i < B * P; i++) {
            double[] t = k.targets[i];
            if (t == null) {
                continue;
            }
            double[] lp = new double[C];
            if (logits) {
                lp = logSoftmax(k.values, i);
            } else {
                for (int c = 0; c < C; c++) {
                    lp[c] = Math.log(k.values[index(i, c)]);
                }
            }
            double[] h = new double[C];
            double sumH = 0;
            for (int c = 0; c < C; c++) {
                double w = weights == null ? 1 : weights[c];
                double p = Math.exp(lp[c]);
                double q = 1 - p;
                double factor = gamma == 0 ? 1 : Math.pow(q, gamma);
                out[0] += w * t[c] * factor * -lp[c] / kept;
                double dFactor = gamma == 0 ? 0 : gamma * Math.pow(q, gamma - 1) * p * lp[c];
                h[c] = w * t[c] * (dFactor - factor);
                sumH += h[c];
            }
            for (int c = 0; c < C; c++) {
                double p = Math.exp(lp[c]);
                out[1 + index(i, c)] = (logits ? h[c] - p * sumH : h[c] / p) / kept;
            }
        }
        return out;
    }

    /** The case's predictions as an array of the given type, in the loss's layout. */
    private NDArray predictions(Case k, DataType type) {
        double[] values = k.kind == Kind.AXIS_LAST ? channelsLast(k.values, true) : k.values;
        long[] shape = k.kind == Kind.AXIS_LAST ? new long[] {B, H, W, C} : new long[] {B, C, H, W};
        NDArray x = arrays.create(values, shape);
        return type == DataType.FLOAT64 ? x : x.toType(type, false);
    }

    private static Grad grad(SegmentationCrossEntropyLoss loss, NDList labels, NDArray x) {
        return Grad.of(x, a -> loss.evaluate(labels, new NDList(a)));
    }

    /** The gradient in [B, C, P] order. */
    private static double[] gradient(Case k, Grad g) {
        return k.kind == Kind.AXIS_LAST ? channelsLast(g.gradient, false) : g.gradient;
    }

    /** Float64: value and gradient to 1e-12 (relative) for every kind of target, weights and γ. */
    @Test
    void float64MatchesTheFormulaInDoubles() {
        assertMatchesTheFormula(DataType.FLOAT64, 1e-12, 1e-12);
    }

    /** Float32: the same to float32 accuracy, the loss staying float32. */
    @Test
    void float32MatchesTheFormulaLoosely() {
        assertMatchesTheFormula(DataType.FLOAT32, 1e-5, 2e-6);
    }

    /**
     * Value and gradient of every kind of target, with and without weights, for each γ, against
     * {@link #reference} of the values as the engine sees them; dropped pixels get exactly 0.
     */
    private void assertMatchesTheFormula(DataType type, double valueTolerance, double gradientTolerance) {
        for (Kind kind : Kind.values()) {
            Case k = draw(kind);
            NDArray x = predictions(k, type);
            double[] seen = Grad.toDoubles(x); // float32 rounds the values
            k.values = kind == Kind.AXIS_LAST ? channelsLast(seen, false) : seen;
            for (double gamma : GAMMAS) {
                for (double[] weights : new double[][] {null, WEIGHTS}) {
                    String what = type + ", " + kind + ", gamma " + gamma + ", weights " + Arrays.toString(weights);
                    SegmentationCrossEntropyLoss.Builder builder = k.builder().optGamma(gamma);
                    if (weights != null) {
                        builder.optClassWeights(weights);
                    }
                    SegmentationCrossEntropyLoss loss = builder.build();
                    try (NDArray value = loss.evaluate(k.labels, new NDList(x))) {
                        assertEquals(type, value.getDataType(), what);
                    }
                    Grad g = grad(loss, k.labels, x);
                    double[] expected = reference(k, weights, gamma);
                    assertEquals(expected[0], g.loss, valueTolerance * Math.max(1, Math.abs(expected[0])), what);
                    double[] got = gradient(k, g);
                    for (int j = 0; j < got.length; j++) {
                        assertEquals(expected[1 + j], got[j], gradientTolerance * Math.max(1, Math.abs(expected[1 + j])),
                                what + ", gradient " + j);
                        if (k.targets[(j / (C * P)) * P + j % P] == null) {
                            assertEquals(0.0, got[j], 0.0, what + ": a dropped pixel's gradient is exactly 0");
                        }
                    }
                }
            }
        }
    }

    /** The reference's gradient is the derivative of its value (central differences in doubles). */
    @Test
    void referenceGradientIsTheDerivativeOfTheReferenceValue() {
        for (Kind kind : new Kind[] {Kind.SMOOTHING, Kind.PROBABILITIES}) {
            Case k = draw(kind);
            for (double gamma : GAMMAS) {
                double[] analytic = reference(k, WEIGHTS, gamma);
                double step = 1e-6;
                for (int j = 0; j < k.values.length; j += 7) {
                    double v = k.values[j];
                    k.values[j] = v + step;
                    double up = reference(k, WEIGHTS, gamma)[0];
                    k.values[j] = v - step;
                    double down = reference(k, WEIGHTS, gamma)[0];
                    k.values[j] = v;
                    assertEquals((up - down) / (2 * step), analytic[1 + j], 1e-7 * Math.max(1, Math.abs(analytic[1 + j])), kind + ", gamma " + gamma + ", " + j);
                }
            }
        }
    }

    /** γ = 0 with unit weights is the plain loss bit for bit; weights all 2 double it. */
    @Test
    void gammaZeroAndUnitWeightsIsThePlainLoss() {
        for (Kind kind : Kind.values()) {
            Case k = draw(kind);
            NDArray x = predictions(k, DataType.FLOAT64);
            Grad plain = grad(k.builder().build(), k.labels, x);
            Grad unit = grad(k.builder().optGamma(0).optClassWeights(1, 1, 1, 1).build(), k.labels, x);
            assertEquals(plain.loss, unit.loss, 0.0, kind.toString());
            assertArrayEquals(plain.gradient, unit.gradient, 0.0, kind.toString());
            Grad twice = grad(k.builder().optClassWeights(2, 2, 2, 2).build(), k.labels, x);
            assertEquals(2 * plain.loss, twice.loss, 1e-14 * Math.abs(plain.loss), kind + ", weights 2");
            for (int j = 0; j < plain.gradient.length; j++) {
                assertEquals(2 * plain.gradient[j], twice.gradient[j], 1e-15, kind + ", weights 2, gradient " + j);
            }
        }
    }

    /**
     * A class of weight 0 removes its pixels' terms (class ids, no smoothing): zero gradient there,
     * and the loss is the loss with that class ignored, rescaled from its pixel count to all pixels.
     */
    @Test
    void zeroWeightRemovesTheClassPixels() {
        long[] ids = random.labelValues(B * P, C);
        NDArray y = arrays.create(ids, B, H, W);
        NDArray x = random.logits(B, C, H, W);
        int removed = 1;
        long others = Arrays.stream(ids).filter(id -> id != removed).count();
        for (double gamma : GAMMAS) {
            Grad weighted = Grad.of(x, a -> SegmentationCrossEntropyLoss.builder()
                    .optGamma(gamma).optClassWeights(1, 0, 1, 1).build().evaluate(y, a));
            Grad ignored = Grad.of(x, a -> SegmentationCrossEntropyLoss.builder()
                    .optGamma(gamma).optIgnoreIndex(removed).build().evaluate(y, a));
            assertEquals(ignored.loss * others / ids.length, weighted.loss, 1e-12, "gamma " + gamma);
            for (int i = 0; i < B * P; i++) {
                for (int c = 0; c < C; c++) {
                    int j = index(i, c);
                    if (ids[i] == removed) {
                        assertEquals(0.0, weighted.gradient[j], 0.0, "gamma " + gamma + ", pixel " + i);
                    } else {
                        assertEquals(ignored.gradient[j] * others / ids.length, weighted.gradient[j], 1e-14);
                    }
                }
            }
        }
    }

    /**
     * Logits of ±60 (softmax probabilities of exactly 1 and 0 in float32) and 0/1 probabilities
     * give a finite loss and finite gradients for γ = 0.5 and 2: the loss is about 120 per pixel
     * whose label has logit −60 (−log p = 120, factor 1), about 0 where it has +60.
     */
    @Test
    void saturatedInputsGiveFiniteGradients() {
        long[] ids = random.labelValues(B * P, C);
        double[] logits = new double[B * C * P];
        double[] probabilities = new double[B * C * P];
        int wrong = 0;
        for (int i = 0; i < B * P; i++) {
            int top = i % 2 == 0 ? (int) ids[i] : (int) (ids[i] + 1) % C;
            wrong += top == ids[i] ? 0 : 1;
            for (int c = 0; c < C; c++) {
                logits[index(i, c)] = c == top ? 60 : -60;
                probabilities[index(i, c)] = c == top ? 1 : 0;
            }
        }
        NDArray y = arrays.create(ids, B, H, W);
        for (DataType type : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
            NDArray x = arrays.create(logits, B, C, H, W).toType(type, false);
            NDArray p = arrays.create(probabilities, B, C, H, W).toType(type, false);
            for (double gamma : new double[] {0.5, 2}) {
                String what = type + ", gamma " + gamma;
                for (boolean smoothed : new boolean[] {false, true}) {
                    SegmentationCrossEntropyLoss.Builder builder =
                            SegmentationCrossEntropyLoss.builder().optGamma(gamma).optClassWeights(WEIGHTS);
                    Grad g = Grad.of(x, a -> builder.optLabelSmoothing(smoothed ? 0.1 : 0).build().evaluate(y, a));
                    assertFinite(g, what + ", logits, smoothed " + smoothed);
                    if (!smoothed) {
                        double expected = 0;
                        for (int i = 0; i < B * P; i++) {
                            int top = i % 2 == 0 ? (int) ids[i] : (int) (ids[i] + 1) % C;
                            expected += top == ids[i] ? 0 : WEIGHTS[(int) ids[i]] * 120;
                        }
                        assertEquals(expected / (B * P), g.loss, 1e-5, what);
                    }
                }
                SegmentationCrossEntropyLoss probas = SegmentationCrossEntropyLoss.builder()
                        .optGamma(gamma).optFromLogits(false).build();
                Grad g = Grad.of(p, a -> probas.evaluate(y, a));
                assertFinite(g, what + ", probabilities");
                // −log of float32's smallest normal number (the clip) at each wrong pixel
                assertEquals(wrong * -Math.log(Float.MIN_NORMAL) / (B * P), g.loss, 1e-4, what);
            }
        }
    }

    private static void assertFinite(Grad g, String what) {
        assertTrue(Double.isFinite(g.loss), what + ": loss " + g.loss);
        for (int j = 0; j < g.gradient.length; j++) {
            assertTrue(Double.isFinite(g.gradient[j]), what + ": gradient " + j + " = " + g.gradient[j]);
        }
    }

    /** Settings out of range are rejected when set, naming the value; a wrong count when evaluated. */
    @Test
    void invalidSettingsAreRejectedNamingTheValue() {
        for (double gamma : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> SegmentationCrossEntropyLoss.builder().optGamma(gamma));
            assertTrue(e.getMessage().contains("got " + gamma), e.getMessage());
        }
        for (double weight : new double[] {-0.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SegmentationCrossEntropyLoss.builder().optClassWeights(1, weight, 1, 1));
            assertTrue(e.getMessage().contains("got " + weight), e.getMessage());
        }
        SegmentationCrossEntropyLoss three = SegmentationCrossEntropyLoss.builder().optClassWeights(1, 2, 3).build();
        for (int batch : new int[] {B, 0}) {
            NDArray x = arrays.manager().zeros(new Shape(batch, C, H, W), DataType.FLOAT64);
            NDArray y = arrays.manager().zeros(new Shape(batch, H, W), DataType.INT64);
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> three.evaluate(y, x));
            String message = e.getMessage();
            assertTrue(message.contains("3 entries") && message.contains("C = 4")
                    && message.contains(new Shape(batch, C, H, W).toString()), message);
        }
    }


    /** float16 predictions are widened: the float32 loss of the same values. */
    @Test
    void float16IsWidenedToFloat32() {
        Case k = draw(Kind.IGNORE);
        NDArray half = predictions(k, DataType.FLOAT16);
        NDArray single = half.toType(DataType.FLOAT32, false);
        SegmentationCrossEntropyLoss loss = k.builder().optGamma(2).optClassWeights(WEIGHTS).build();
        try (NDArray h = loss.evaluate(k.labels, new NDList(half));
                NDArray s = loss.evaluate(k.labels, new NDList(single))) {
            assertEquals(DataType.FLOAT32, h.getDataType());
            assertEquals(s.getFloat(), h.getFloat(), 1e-6 * Math.abs(s.getFloat()));
        }
    }

    /** Getters copy, and toString shows the settings. */
    @Test
    void gettersAndToString() {
        SegmentationCrossEntropyLoss plain = SegmentationCrossEntropyLoss.builder().build();
        assertNull(plain.getClassWeights());
        assertEquals(0.0, plain.getGamma(), 0.0);
        assertTrue(!plain.toString().contains("gamma"), plain.toString());
        double[] weights = {1, 2, 3};
        SegmentationCrossEntropyLoss focal =
                SegmentationCrossEntropyLoss.builder().optClassWeights(weights).optGamma(2).build();
        weights[0] = 9;
        double[] got = focal.getClassWeights();
        assertArrayEquals(new double[] {1, 2, 3}, got, 0.0);
        got[1] = 9;
        assertArrayEquals(new double[] {1, 2, 3}, focal.getClassWeights(), 0.0);
        assertEquals(2.0, focal.getGamma(), 0.0);
        assertTrue(focal.toString().contains("classWeights=[1.0, 2.0, 3.0], gamma=2.0"), focal.toString());
    }
}
