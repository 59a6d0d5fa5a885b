package io.github.djllovasz.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.github.djllovasz.ClassSelection;
import io.github.djllovasz.SegmentationLosses;
import io.github.djllovasz.TverskyLoss;
import io.github.djllovasz.testutil.Grad;
import io.github.djllovasz.testutil.SeededArrays;
import io.github.djllovasz.testutil.TestArrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Tversky family on sigmoid channels ({@code optMultilabel(true)}, SMP's multilabel mode) and
 * without the background ({@code optIncludeBackground(false)}, MONAI's {@code include_background}),
 * from their definitions.
 */
class MultilabelTverskyPropertiesTest {

    @RegisterExtension final TestArrays arrays = TestArrays.perTest();
    private final SeededArrays random = arrays.seeded(2024);

    private static final int B = 2;
    private static final int C = 3;
    private static final int P = 15;

    private NDArray zeroOne(long... shape) {
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        return arrays.create(random.labelValues(n, 2), shape).toType(DataType.FLOAT64, false);
    }

    /**
     * Per image and channel, with p = σ(x) and y ∈ {0, 1}: tp = Σ p·y, fp = Σ p·(1 − y), fn = Σ
     * (1 − p)·y, T = (tp + s)/(tp + α·fp + β·fn + s); the loss is the mean of 1 − T over images and
     * channels (ALL).
     */
    @Test
    void equalsThePerChannelDefinition() {
        double[] logits = random.normalValues(B * C * P, SeededArrays.LOGIT_SCALE);
        NDArray targets = zeroOne(B, C, P);
        double[] y = targets.toDoubleArray();
        double s = 1e-3;
        for (double[] ab : new double[][] {{1, 1}, {0.5, 0.5}, {0.3, 0.7}}) {
            double total = 0;
            for (int b = 0; b < B; b++) {
                for (int c = 0; c < C; c++) {
                    double tp = 0;
                    double fp = 0;
                    double fn = 0;
                    for (int i = 0; i < P; i++) {
                        int j = (b * C + c) * P + i;
                        double p = 1 / (1 + Math.exp(-logits[j]));
                        tp += p * y[j];
                        fp += p * (1 - y[j]);
                        fn += (1 - p) * y[j];
                    }
                    total += 1 - (tp + s) / (tp + ab[0] * fp + ab[1] * fn + s);
                }
            }
            TverskyLoss loss = TverskyLoss.tversky(ab[0], ab[1]).optMultilabel(true).optClasses(ClassSelection.ALL)
                    .optPerImage(true).build();
            double got = Grad.value(arrays.create(logits, B, C, P), x -> loss.evaluate(targets, x));
            assertEquals(total / (B * C), got, 1e-12, "α, β = " + ab[0] + ", " + ab[1]);
        }
    }

    /** Channels are independent problems: C channels pooled give the mean of the C one-channel losses. */
    @Test
    void channelsAreIndependent() {
        NDArray x = random.logits(B, C, P);
        NDArray y = zeroOne(B, C, P);
        TverskyLoss jaccard = TverskyLoss.jaccard().optMultilabel(true).optClasses(ClassSelection.ALL).build();
        double sum = 0;
        for (int c = 0; c < C; c++) {
            NDIndex channel = new NDIndex(":, {}:{}", c, c + 1);
            NDArray xc = x.get(channel);
            NDArray yc = y.get(channel);
            sum += Grad.value(xc, v -> jaccard.evaluate(yc, v));
        }
        assertEquals(sum / C, Grad.value(x, v -> jaccard.evaluate(y, v)), 1e-14);
    }

    /**
     * Without the background, with every class active, the loss is the mean over classes 1..C−1:
     * the same as class weights (0, C/(C−1), ...) over all C classes, softmax or multilabel, per
     * image or pooled; and the background's logits still move the others through the softmax.
     */
    @Test
    void withoutBackgroundIsTheMeanOverTheOtherClasses() {
        NDArray x = random.logits(B, C, P);
        NDArray ids = random.labels(C, B, P);
        NDArray y = zeroOne(B, C, P);
        double[] weights = new double[C];
        java.util.Arrays.fill(weights, 1, C, (double) C / (C - 1));
        for (boolean multilabel : new boolean[] {false, true}) {
            NDArray labels = multilabel ? y : ids;
            for (boolean perImage : new boolean[] {false, true}) {
                TverskyLoss without = TverskyLoss.dice().optMultilabel(multilabel).optClasses(ClassSelection.ALL)
                        .optPerImage(perImage).optIncludeBackground(false).build();
                TverskyLoss weighted = TverskyLoss.dice().optMultilabel(multilabel).optClasses(ClassSelection.ALL)
                        .optPerImage(perImage).optClassWeights(weights).build();
                Grad a = Grad.of(x, v -> without.evaluate(labels, v));
                Grad b = Grad.of(x, v -> weighted.evaluate(labels, v));
                String what = "multilabel " + multilabel + ", perImage " + perImage;
                assertEquals(b.loss, a.loss, 1e-14, what);
                for (int i = 0; i < a.gradient.length; i++) {
                    assertEquals(b.gradient[i], a.gradient[i], 1e-14, what + " gradient " + i);
                }
                boolean backgroundMoves = false;
                for (int b0 = 0; b0 < B; b0++) {
                    for (int i = 0; i < P; i++) {
                        backgroundMoves |= a.gradient[b0 * C * P + i] != 0;
                    }
                }
                assertEquals(!multilabel, backgroundMoves, what + ": background logits get a gradient only through a softmax");
            }
        }
    }

    /** A keep mask drops pixels of every channel: same loss as removing them, zero gradient there. */
    @Test
    void keepMaskDropsPixelsOfEveryChannel() {
        int dropped = 5;
        NDArray x = random.logits(B, C, P);
        NDArray y = zeroOne(B, C, P);
        long[] keep = new long[B * P];
        for (int j = 0; j < B * P; j++) {
            keep[j] = j % P < dropped ? 0 : 1;
        }
        NDIndex rest = new NDIndex(":, :, {}:", dropped);
        TverskyLoss loss = TverskyLoss.jaccard().optMultilabel(true).optPerImage(true).build();
        double removed = Grad.value(x.get(rest).duplicate(), v -> loss.evaluate(y.get(rest).duplicate(), v));
        Grad masked = Grad.of(x, v -> loss.evaluate(new NDList(y, arrays.create(keep, B, P)), new NDList(v)));
        assertEquals(removed, masked.loss, 1e-14);
        for (int j = 0; j < B * C * P; j++) {
            if (j % P < dropped) {
                assertEquals(0.0, masked.gradient[j], 0.0, "dropped entry " + j);
            }
        }
        Grad.assertMatchesFiniteDifferences("multilabel, keep mask", random.logits(B, C, P),
                v -> loss.evaluate(new NDList(y, arrays.create(keep, B, P)), new NDList(v)));
    }

    /**
     * Multilabel settings and targets that have no meaning are rejected, naming the value, and so
     * is a softmax cross-entropy composite of a multilabel loss.
     */
    @Test
    void rejectsWhatHasNoMeaning() {
        assertThrows(IllegalStateException.class, () -> TverskyLoss.dice().optMultilabel(true).optSoftLabels(true).build());
        assertThrows(IllegalStateException.class, () -> TverskyLoss.dice().optMultilabel(true).optLabelSmoothing(0.1).build());
        TverskyLoss loss = TverskyLoss.dice().optMultilabel(true).build();
        NDArray x = random.logits(B, C, P);
        IllegalArgumentException ids = assertThrows(IllegalArgumentException.class,
                () -> loss.evaluate(random.labels(C, B, P), x));
        assertTrue(ids.getMessage().contains("multilabel targets must be floating-point"), ids.getMessage());
        NDArray nan = zeroOne(B, C, P).div(0); // 0/0 NaN and 1/0 infinity
        IllegalArgumentException finite = assertThrows(IllegalArgumentException.class, () -> loss.evaluate(nan, x));
        assertTrue(finite.getMessage().contains("non-finite"), finite.getMessage());
        NDArray shape = zeroOne(B, C + 1, P);
        IllegalArgumentException fit = assertThrows(IllegalArgumentException.class, () -> loss.evaluate(shape, x));
        assertTrue(fit.getMessage().contains("(2, 4, 15)") && fit.getMessage().contains("(2, 3, 15)"), fit.getMessage());
        IllegalArgumentException composite = assertThrows(IllegalArgumentException.class,
                () -> SegmentationLosses.crossEntropyPlusDice(loss, 1));
        assertTrue(composite.getMessage().contains("SegmentationBinaryCrossEntropyLoss"), composite.getMessage());
    }
}
