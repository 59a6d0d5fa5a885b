package io.github.djllovasz.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.github.djllovasz.GeneralizedDiceLoss;
import io.github.djllovasz.GeneralizedDiceLoss.Weighting;
import io.github.djllovasz.SegmentationLosses;
import io.github.djllovasz.testutil.Grad;
import io.github.djllovasz.testutil.SeededArrays;
import io.github.djllovasz.testutil.TestArrays;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Generalized Dice properties that follow from its definition (Sudre et al. 2017), with no reference. */
class GeneralizedDicePropertiesTest {

    @RegisterExtension final TestArrays arrays = TestArrays.perTest();
    private final SeededArrays random = arrays.seeded(2017);

    private static final int B = 3;
    private static final int C = 4;
    private static final int P = 20;

    /**
     * The definition in plain Java: softmax per pixel, one-hot targets of the kept pixels, sums per
     * image (or pooled), weights 1/G², 1/G or 1 with absent classes given the row's largest finite
     * weight, {@code 1 − (2Σ w·I + s)/(Σ w·S + s)}, the mean over the rows with a kept pixel.
     * Weights in double here: the float32 rounding of the library (MONAI's) is below 1e-7 relative.
     */
    private static double definition(
            double[] logits, long[] ids, boolean[] kept, Weighting weighting, boolean perImage, boolean background) {
        int first = background ? 0 : 1;
        int rows = perImage ? B : 1;
        double[][] inter = new double[rows][C];
        double[][] sizes = new double[rows][C];
        double[][] truth = new double[rows][C];
        boolean[] anyKept = new boolean[rows];
        for (int b = 0; b < B; b++) {
            int r = perImage ? b : 0;
            for (int i = 0; i < P; i++) {
                if (!kept[b * P + i]) {
                    continue;
                }
                anyKept[r] = true;
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < C; c++) {
                    max = Math.max(max, logits[(b * C + c) * P + i]);
                }
                double sum = 0;
                for (int c = 0; c < C; c++) {
                    sum += Math.exp(logits[(b * C + c) * P + i] - max);
                }
                for (int c = 0; c < C; c++) {
                    double p = Math.exp(logits[(b * C + c) * P + i] - max) / sum;
                    double y = ids[b * P + i] == c ? 1 : 0;
                    inter[r][c] += p * y;
                    sizes[r][c] += p + y;
                    truth[r][c] += y;
                }
            }
        }
        double total = 0;
        int counted = 0;
        for (int r = 0; r < rows; r++) {
            if (perImage && !anyKept[r]) {
                continue;
            }
            double[] w = new double[C];
            double largest = 0;
            for (int c = first; c < C; c++) {
                double g = truth[r][c];
                w[c] = weighting == Weighting.UNIFORM ? 1 : weighting == Weighting.SIMPLE ? 1 / g : 1 / (g * g);
                if (!Double.isInfinite(w[c])) {
                    largest = Math.max(largest, w[c]);
                }
            }
            double num = 0;
            double den = 0;
            for (int c = first; c < C; c++) {
                double wc = Double.isInfinite(w[c]) ? largest : w[c];
                num += wc * inter[r][c];
                den += wc * sizes[r][c];
            }
            total += 1 - (2 * num + 1e-5) / (den + 1e-5);
            counted++;
        }
        return total / Math.max(counted, 1);
    }

    private static boolean[] all(int n) {
        boolean[] kept = new boolean[n];
        Arrays.fill(kept, true);
        return kept;
    }

    /**
     * Every weighting, per image and pooled, with and without the background, with a class absent
     * from some images (infinite weights) and from the whole batch: the definition, to 1e-7
     * relative (the float32 weights).
     */
    @Test
    void equalsTheDefinition() {
        double[] logits = random.normalValues(B * C * P, SeededArrays.LOGIT_SCALE);
        long[] ids = random.labelValues(B * P, C - 1); // class 3 absent everywhere
        for (int i = 0; i < P; i++) {
            ids[P + i] = ids[P + i] == 2 ? 1 : ids[P + i]; // and class 2 absent from image 1
        }
        NDArray x = arrays.create(logits, B, C, P);
        NDArray labels = arrays.create(ids, B, P);
        for (Weighting weighting : Weighting.values()) {
            for (boolean perImage : new boolean[] {true, false}) {
                for (boolean background : new boolean[] {true, false}) {
                    GeneralizedDiceLoss loss = GeneralizedDiceLoss.builder().optWeighting(weighting)
                            .optPerImage(perImage).optIncludeBackground(background).build();
                    double want = definition(logits, ids, all(B * P), weighting, perImage, background);
                    double got = Grad.value(x, v -> loss.evaluate(labels, v));
                    assertEquals(want, got, 1e-7 * Math.abs(want), loss.toString());
                }
            }
        }
    }

    /**
     * Pixels dropped by the ignore index or a keep mask are left out as if removed, get exactly zero
     * gradient, and an image with no kept pixel takes no part in the per-image mean.
     */
    @Test
    void droppedPixelsCountNowhere() {
        double[] logits = random.normalValues(B * C * P, SeededArrays.LOGIT_SCALE);
        long[] ids = random.labelValues(B * P, C);
        long[] ignoring = ids.clone();
        long[] keep = new long[B * P];
        boolean[] kept = new boolean[B * P];
        for (int j = 0; j < B * P; j++) {
            kept[j] = j >= 2 * P || j % 3 != 0; // image 0, 1: every third pixel dropped ...
            if (j >= P && j < 2 * P) {
                kept[j] = false; // ... and image 1 entirely
            }
            keep[j] = kept[j] ? 1 : 0;
            ignoring[j] = kept[j] ? ids[j] : 255;
        }
        NDArray x = arrays.create(logits, B, C, P);
        for (boolean perImage : new boolean[] {true, false}) {
            GeneralizedDiceLoss plain = GeneralizedDiceLoss.builder().optPerImage(perImage).build();
            GeneralizedDiceLoss ignored = GeneralizedDiceLoss.builder().optPerImage(perImage).optIgnoreIndex(255).build();
            double want = definition(logits, ids, kept, Weighting.SQUARE, perImage, true);
            Grad withIgnore = Grad.of(x, v -> ignored.evaluate(arrays.create(ignoring, B, P), v));
            Grad withMask = Grad.of(x, v -> plain.evaluate(
                    new NDList(arrays.create(ids, B, P), arrays.create(keep, B, P)), new NDList(v)));
            for (Grad g : new Grad[] {withIgnore, withMask}) {
                assertEquals(want, g.loss, 1e-7 * want, "perImage " + perImage);
                for (int b = 0; b < B; b++) {
                    for (int c = 0; c < C; c++) {
                        for (int i = 0; i < P; i++) {
                            if (!kept[b * P + i]) {
                                assertEquals(0.0, g.gradient[(b * C + c) * P + i], 0.0, "dropped pixel " + b + "," + i);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The loss depends on volumes only through ratios: an image repeated twice (every sum doubled,
     * the weights scaled by 1/4, 1/2 or 1) has the same loss, up to the smoothing.
     */
    @Test
    void doublingTheImageChangesNothing() {
        NDArray x = random.logits(B, C, P);
        NDArray ids = random.labels(C, B, P);
        NDArray twiceX = x.concat(x, 2);
        NDArray twiceIds = ids.concat(ids, 1);
        for (Weighting weighting : Weighting.values()) {
            GeneralizedDiceLoss loss = GeneralizedDiceLoss.builder().optWeighting(weighting).optSmooth(0, 1e-300).build();
            double once = Grad.value(x, v -> loss.evaluate(ids, v));
            double twice = Grad.value(twiceX, v -> loss.evaluate(twiceIds, v));
            assertEquals(once, twice, 1e-7 * once, weighting.toString());
        }
    }

    /**
     * Perfect probabilities give 0, and with UNIFORM weights, the background and no smoothing the
     * per-image and the pooled losses agree (every image's sizes sum to 2·P); the loss lies in (0, 1).
     */
    @Test
    void boundsAndTheUniformCase() {
        long[] idValues = random.labelValues(B * P, C);
        NDArray ids = arrays.create(idValues, B, P);
        double[] oneHot = new double[B * C * P];
        for (int b = 0; b < B; b++) {
            for (int i = 0; i < P; i++) {
                oneHot[(b * C + (int) idValues[b * P + i]) * P + i] = 1;
            }
        }
        NDArray perfect = arrays.create(oneHot, B, C, P);
        for (Weighting weighting : Weighting.values()) {
            GeneralizedDiceLoss loss = GeneralizedDiceLoss.builder().optWeighting(weighting).optFromLogits(false).build();
            assertEquals(0.0, Grad.value(perfect, v -> loss.evaluate(ids, v)), 1e-12, weighting + " perfect");
        }
        NDArray x = random.logits(B, C, P);
        GeneralizedDiceLoss perImage = GeneralizedDiceLoss.builder().optWeighting(Weighting.UNIFORM)
                .optSmooth(0, 1e-300).build();
        GeneralizedDiceLoss pooled = GeneralizedDiceLoss.builder().optWeighting(Weighting.UNIFORM)
                .optSmooth(0, 1e-300).optPerImage(false).build();
        double a = Grad.value(x, v -> perImage.evaluate(ids, v));
        double b = Grad.value(x, v -> pooled.evaluate(ids, v));
        assertEquals(a, b, 1e-14, "uniform, no smoothing: per image = pooled");
        assertTrue(a > 0 && a < 1, "in (0, 1): " + a);
    }

    /** Autograd equals central finite differences: class ids, multilabel targets, soft labels, a keep mask. */
    @Test
    void autogradEqualsFiniteDifferences() {
        NDArray ids = random.labels(C, B, P);
        long[] keep = random.labelValues(B * P, 2);
        NDArray soft = random.logits(B, C, P).softmax(1);
        NDArray multilabel = arrays.create(random.labelValues(B * C * P, 2), B, C, P).toType(ai.djl.ndarray.types.DataType.FLOAT64, false);
        GeneralizedDiceLoss square = SegmentationLosses.generalizedDice(); // square weights, per image
        GeneralizedDiceLoss simple = GeneralizedDiceLoss.builder().optWeighting(Weighting.SIMPLE).optPerImage(false)
                .optIncludeBackground(false).build();
        GeneralizedDiceLoss softLoss = GeneralizedDiceLoss.builder().optSoftLabels(true).build();
        GeneralizedDiceLoss multi = GeneralizedDiceLoss.builder().optMultilabel(true).build();
        Grad.assertMatchesFiniteDifferences("square", random.logits(B, C, P), v -> square.evaluate(ids, v));
        Grad.assertMatchesFiniteDifferences("simple pooled no background", random.logits(B, C, P),
                v -> simple.evaluate(ids, v));
        Grad.assertMatchesFiniteDifferences("keep mask", random.logits(B, C, P),
                v -> square.evaluate(new NDList(ids, arrays.create(keep, B, P)), new NDList(v)));
        Grad.assertMatchesFiniteDifferences("soft labels", random.logits(B, C, P), v -> softLoss.evaluate(soft, v));
        Grad.assertMatchesFiniteDifferences("multilabel", random.logits(B, C, P), v -> multi.evaluate(multilabel, v));
    }

    /** Settings and inputs without a meaning are rejected, naming the value. */
    @Test
    void rejectsWhatHasNoMeaning() {
        assertThrows(IllegalArgumentException.class, () -> GeneralizedDiceLoss.builder().optSmooth(-1, 1e-5));
        assertThrows(IllegalArgumentException.class, () -> GeneralizedDiceLoss.builder().optSmooth(1e-5, 0));
        IllegalStateException both = assertThrows(IllegalStateException.class,
                () -> GeneralizedDiceLoss.builder().optMultilabel(true).optIgnoreIndex(255).build());
        assertTrue(both.getMessage().contains("multilabel"), both.getMessage());
        GeneralizedDiceLoss multi = GeneralizedDiceLoss.builder().optMultilabel(true).build();
        NDArray x = random.logits(B, 1, P);
        NDArray outside = arrays.create(new double[B * P], B, 1, P).add(2);
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> multi.evaluate(new NDList(outside), new NDList(x)));
        assertTrue(range.getMessage().contains("multilabel targets must lie in [0, 1]"), range.getMessage());
        GeneralizedDiceLoss noBackground = GeneralizedDiceLoss.builder().optMultilabel(true).optIncludeBackground(false).build();
        NDArray zeros = arrays.create(new double[B * P], B, 1, P);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> noBackground.evaluate(new NDList(zeros), new NDList(x)));
        assertTrue(none.getMessage().contains("C = 1 channel") && none.getMessage().contains("(3, 1, 20)"), none.getMessage());
        IllegalArgumentException softmaxOne = assertThrows(IllegalArgumentException.class,
                () -> GeneralizedDiceLoss.builder().build().evaluate(new NDList(arrays.create(new long[B * P], B, P)), new NDList(x)));
        assertTrue(softmaxOne.getMessage().contains("C = 1 class"), softmaxOne.getMessage());
    }
}
