package io.github.djllovasz.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import io.github.djllovasz.ClassSelection;
import io.github.djllovasz.SoftTargets;
import io.github.djllovasz.TverskyLoss;
import io.github.djllovasz.testutil.Grad;
import io.github.djllovasz.testutil.SeededArrays;
import io.github.djllovasz.testutil.TestArrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Jaccard, Dice and Tversky properties that follow from the definition, with no reference. */
class TverskyPropertiesTest {

    @RegisterExtension final TestArrays arrays = TestArrays.perTest();
    /** One stream of seed 2023 per test. */
    private final SeededArrays random = arrays.seeded(2023);

    private static final int B = 2;
    private static final int C = 4;
    private static final int H = 5;
    private static final int W = 6;
    private static final int P = H * W;

    /** One-hot rows of class ids, class axis 1: {@code [B, C, H, W]} values. */
    private static double[] oneHot(long[] ids) {
        double[] out = new double[B * C * P];
        for (int b = 0; b < B; b++) {
            for (int i = 0; i < P; i++) {
                out[(b * C + (int) ids[b * P + i]) * P + i] = 1;
            }
        }
        return out;
    }

    /** Random class probabilities {@code [B, C, H, W]}: a softmax of N(0, 2²) logits. */
    private NDArray softTargets() {
        return random.logits(B, C, H, W).softmax(1);
    }

    private static double loss(TverskyLoss loss, NDArray labels, NDArray predictions) {
        return Grad.value(predictions, x -> loss.evaluate(labels, x));
    }

    /**
     * At one-hot targets and 0/1 predictions, with s = 0, the loss of class c (weight 1 on c, 0
     * elsewhere, all C classes active: l_c / C) is 1 − IoU counted with integers for Jaccard and
     * 1 − 2|A∩B| / (|A| + |B|) for Dice, from class ids and from one-hot soft labels alike.
     */
    @Test
    void zeroOneValuesGiveOneMinusIouAndOneMinusDice() {
        for (int trial = 0; trial < 4; trial++) {
            long[] truth = random.labelValues(B * P, C);
            long[] predicted = random.labelValues(B * P, C);
            NDArray probas = arrays.create(oneHot(predicted), B, C, H, W);
            NDArray ids = arrays.create(truth, B, H, W);
            NDArray soft = arrays.create(oneHot(truth), B, C, H, W);
            for (int c = 0; c < C; c++) {
                long inter = 0;
                long union = 0;
                long sizes = 0;
                for (int i = 0; i < truth.length; i++) {
                    boolean t = truth[i] == c;
                    boolean q = predicted[i] == c;
                    inter += t && q ? 1 : 0;
                    union += t || q ? 1 : 0;
                    sizes += (t ? 1 : 0) + (q ? 1 : 0);
                }
                assertTrue(union > 0, "every class drawn in trial " + trial);
                double[] weights = new double[C];
                weights[c] = C;
                TverskyLoss jaccard = TverskyLoss.jaccard().optSmooth(0).optFromLogits(false)
                        .optClasses(ClassSelection.ALL).optClassWeights(weights).build();
                TverskyLoss dice = TverskyLoss.dice().optSmooth(0).optFromLogits(false)
                        .optClasses(ClassSelection.ALL).optClassWeights(weights).build();
                TverskyLoss softJaccard = TverskyLoss.jaccard().optSmooth(0).optFromLogits(false)
                        .optSoftLabels(true).optClassWeights(weights).build();
                double iou = 1.0 - (double) inter / union;
                double diceLoss = 1.0 - 2.0 * inter / sizes;
                assertEquals(iou, loss(jaccard, ids, probas), 1e-12, "Jaccard, class " + c);
                assertEquals(iou, loss(softJaccard, soft, probas), 1e-12, "soft Jaccard, class " + c);
                assertEquals(diceLoss, loss(dice, ids, probas), 1e-12, "Dice, class " + c);
            }
        }
    }

    /** The loss is 0 when the prediction equals the target, and positive when it does not. */
    @Test
    void zeroExactlyWhenPredictionEqualsTarget() {
        for (TverskyLoss.Builder builder : new TverskyLoss.Builder[] {TverskyLoss.jaccard(), TverskyLoss.dice()}) {
            for (boolean perImage : new boolean[] {false, true}) {
                TverskyLoss loss = builder.optSoftLabels(true).optFromLogits(false).optPerImage(perImage).build();
                NDArray y = softTargets();
                assertEquals(0.0, loss(loss, y, y.duplicate()), 1e-15, loss + " at p = y");
                for (int trial = 0; trial < 3; trial++) {
                    NDArray other = softTargets();
                    assertTrue(loss(loss, y, other) > 1e-3, loss + " at p != y");
                    // a small move of one pixel's mass between classes is seen too
                    double[] moved = y.toDoubleArray();
                    double delta = 1e-3 * Math.min(moved[0], 1 - moved[P]);
                    moved[0] -= delta;
                    moved[P] += delta;
                    double near = loss(loss, y, arrays.create(moved, B, C, H, W));
                    assertTrue(near > 0, loss + " at a pixel moved by " + delta + ": " + near);
                }
            }
        }
    }

    /** Autograd equals central finite differences (float64), for every option that changes the math. */
    @Test
    void autogradEqualsFiniteDifferences() {
        NDArray ids = random.labels(C, B, H, W);
        NDArray soft = softTargets();
        long[] keepValues = random.labelValues(B * P, 2);
        NDArray keep = arrays.create(keepValues, B, H, W);
        TverskyLoss[] hard = {
            TverskyLoss.jaccard().build(),
            TverskyLoss.dice().optPerImage(true).build(),
            TverskyLoss.tversky(1, 1).optAlpha(0.3).optBeta(0.7).optReductionWeights(0.5, 0.25, 0.25).build(),
            TverskyLoss.jaccard().optNorm(2).optGamma(2).optLogLoss(true).optClassWeights(0.5, 1, 2, 4).build(),
            TverskyLoss.jaccard().optLabelSmoothing(0.1).optReductionWeights(0, 0, 1).build(),
        };
        for (TverskyLoss loss : hard) {
            Grad.assertMatchesFiniteDifferences(loss.toString(), random.logits(B, C, H, W), x -> loss.evaluate(ids, x));
        }
        TverskyLoss softLoss = TverskyLoss.dice().optSoftLabels(true).optPerImage(true).build();
        Grad.assertMatchesFiniteDifferences("soft", random.logits(B, C, H, W), x -> softLoss.evaluate(soft, x));
        TverskyLoss masked = TverskyLoss.jaccard().build();
        Grad.assertMatchesFiniteDifferences("keep mask", random.logits(B, C, H, W),
                x -> masked.evaluate(new NDList(ids, keep), new NDList(x)));
    }

    /**
     * Ignoring pixels equals removing them: loss and the kept pixels' gradients; ignored pixels get
     * exactly 0. The same pixels dropped with a keep mask give the same again.
     */
    @Test
    void ignoringPixelsEqualsRemovingThem() {
        int n = 12;
        int dropped = 4; // the first 4 pixels of each image
        long[] ids = random.labelValues(B * n, C);
        long[] ignored = ids.clone();
        long[] keep = new long[B * n];
        long[] kept = new long[B * (n - dropped)];
        for (int b = 0; b < B; b++) {
            for (int i = 0; i < n; i++) {
                boolean drop = i < dropped;
                ignored[b * n + i] = drop ? 255 : ids[b * n + i];
                keep[b * n + i] = drop ? 0 : 1;
                if (!drop) {
                    kept[b * (n - dropped) + i - dropped] = ids[b * n + i];
                }
            }
        }
        NDArray logits = random.logits(B, C, n);
        NDArray shorter = logits.get(":, :, " + dropped + ":").duplicate();
        for (boolean perImage : new boolean[] {false, true}) {
            TverskyLoss plain = TverskyLoss.jaccard().optPerImage(perImage).build();
            TverskyLoss ignoring = TverskyLoss.jaccard().optPerImage(perImage).optIgnoreIndex(255).build();
            Grad removed = Grad.of(shorter, x -> plain.evaluate(arrays.create(kept, B, n - dropped), x));
            Grad withIgnore = Grad.of(logits, x -> ignoring.evaluate(arrays.create(ignored, B, n), x));
            Grad withMask = Grad.of(logits, x -> plain.evaluate(
                    new NDList(arrays.create(ids, B, n), arrays.create(keep, B, n)), new NDList(x)));
            for (Grad g : new Grad[] {withIgnore, withMask}) {
                assertEquals(removed.loss, g.loss, 1e-14, "perImage " + perImage);
                for (int b = 0; b < B; b++) {
                    for (int c = 0; c < C; c++) {
                        for (int i = 0; i < n; i++) {
                            double grad = g.gradient[(b * C + c) * n + i];
                            double want = i < dropped ? 0 : removed.gradient[(b * C + c) * (n - dropped) + i - dropped];
                            assertEquals(want, grad, i < dropped ? 0 : 1e-14, "perImage " + perImage + " b" + b + " c" + c + " i" + i);
                        }
                    }
                }
            }
        }
    }

    /** Label smoothing ε → 0 tends to the hard-label loss (ε = 0 equals it), linearly in ε. */
    @Test
    void labelSmoothingTendsToTheHardLoss() {
        NDArray ids = random.labels(C, B, H, W);
        NDArray logits = random.logits(B, C, H, W);
        for (ClassSelection mode : new ClassSelection[] {ClassSelection.PRESENT, ClassSelection.ALL}) {
            double hard = loss(TverskyLoss.jaccard().optClasses(mode).build(), ids, logits);
            TverskyLoss.Builder smoothed = TverskyLoss.jaccard().optSoftClasses(mode);
            assertEquals(hard, loss(smoothed.optLabelSmoothing(0).build(), ids, logits), 0.0, mode + " ε = 0");
            double previous = Double.POSITIVE_INFINITY;
            for (double eps : new double[] {1e-1, 1e-2, 1e-3, 1e-4, 1e-5}) {
                double gap = Math.abs(loss(smoothed.optLabelSmoothing(eps).build(), ids, logits) - hard);
                assertTrue(gap < previous / 5, mode + " ε = " + eps + ": gap " + gap + " after " + previous);
                assertTrue(gap < 10 * eps, mode + " ε = " + eps + ": gap " + gap);
                previous = gap;
            }
        }
    }

    /** The builder's smoothing equals the public helper's targets given as soft labels. */
    @Test
    void labelSmoothingEqualsSmoothedSoftLabels() {
        NDArray ids = random.labels(C, B, H, W);
        NDArray logits = random.logits(B, C, H, W);
        NDArray targets = SoftTargets.labelSmoothing(ids, C, 0.1, DataType.FLOAT64);
        double inside = loss(TverskyLoss.dice().optLabelSmoothing(0.1).build(), ids, logits);
        double given = loss(TverskyLoss.dice().optSoftLabels(true).build(), targets, logits);
        assertEquals(given, inside, 1e-15);
    }

    /** Channels-last predictions and soft labels equal channels-first ones. */
    @Test
    void channelsLastEqualsChannelsFirst() {
        NDArray logits = random.logits(B, C, H, W);
        NDArray soft = softTargets();
        NDArray ids = random.labels(C, B, H, W);
        TverskyLoss first = TverskyLoss.jaccard().optSoftLabels(true).optPerImage(true).build();
        TverskyLoss last = TverskyLoss.jaccard().optSoftLabels(true).optPerImage(true).optClassAxis(-1).build();
        Grad a = Grad.of(logits, x -> first.evaluate(soft, x));
        Grad b = Grad.of(logits, x -> last.evaluate(soft.transpose(0, 2, 3, 1), x.transpose(0, 2, 3, 1)));
        assertEquals(a.loss, b.loss, 1e-14);
        assertArrayEquals(a.gradient, b.gradient, 1e-14);
        double hardFirst = loss(TverskyLoss.dice().build(), ids, logits);
        double hardLast = loss(TverskyLoss.dice().optClassAxis(-1).build(), ids, logits.transpose(0, 2, 3, 1));
        assertEquals(hardFirst, hardLast, 1e-14);
    }
}
