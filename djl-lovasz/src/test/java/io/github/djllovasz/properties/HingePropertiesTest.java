package io.github.djllovasz.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.djllovasz.Lovasz;
import io.github.djllovasz.LovaszHingeLoss;
import io.github.djllovasz.testutil.Grad;
import io.github.djllovasz.testutil.SeededArrays;
import io.github.djllovasz.testutil.TestArrays;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Lovász-hinge and Lovász-weight properties that follow from the definition. */
class HingePropertiesTest {

    @RegisterExtension final TestArrays arrays = TestArrays.perTest();
    /** One stream of seed 2018 for each test: normal values, labels and extra draws in order. */
    private final SeededArrays random = arrays.seeded(2018);

    /** One pixel: the Lovász hinge is the ordinary hinge relu(1 − s·(2y − 1)). */
    @Test
    void singlePixelIsTheHinge() {
        double[][] cases = {{0.25, 1, 0.75, -1}, {0.625, 0, 1.625, 1}, {1.75, 1, 0, 0}, {-3, 0, 0, 0}};
        for (double[] c : cases) {
            NDArray s = arrays.manager().create(new double[] {c[0]});
            NDArray y = arrays.manager().create(new long[] {(long) c[1]});
            Grad g = Grad.of(s, x -> Lovasz.hingeFlat(y, x));
            assertEquals(c[2], g.loss, 1e-15, "loss at s=" + c[0] + " y=" + c[1]);
            assertEquals(c[3], g.gradient[0], 1e-15, "gradient at s=" + c[0] + " y=" + c[1]);
        }
    }

    /** All background: the weights are [1, 0, ...], so the loss is relu(max_i(1 + s_i)). */
    @Test
    void allBackgroundIsTheLargestError() {
        double[] s = random.normalValues(40, 1.5);
        double max = Double.NEGATIVE_INFINITY;
        for (double v : s) {
            max = Math.max(max, 1 + v);
        }
        NDArray logits = arrays.create(s, 2, 4, 5);
        NDArray labels = arrays.manager().zeros(new Shape(2, 4, 5), ai.djl.ndarray.types.DataType.INT64);
        double loss = Grad.value(logits, x -> Lovasz.hinge(labels, x, false, null));
        assertEquals(Math.max(0, max), loss, 1e-12);
    }

    /** All foreground: the weights are 1/P, so the loss is mean_i relu(1 − s_i). */
    @Test
    void allForegroundIsTheMeanHinge() {
        double[] s = random.normalValues(30, 1.5);
        double sum = 0;
        for (double v : s) {
            sum += Math.max(0, 1 - v);
        }
        NDArray logits = arrays.create(s, 1, 30);
        NDArray labels = arrays.manager().ones(new Shape(1, 30), ai.djl.ndarray.types.DataType.INT64);
        assertEquals(sum / 30, Grad.value(logits, x -> Lovasz.hinge(labels, x, true, null)), 1e-12);
    }

    /** Per image is the mean of the images computed alone; an all-ignored image counts as 0. */
    @Test
    void perImageIsTheMeanOfImagesAndEmptyImagesCount() {
        int b = 3;
        int p = 20;
        double[] s = random.normalValues(b * p, 2);
        long[] y = new long[b * p];
        for (int i = 0; i < y.length; i++) {
            y[i] = i / p == 1 ? 255 : random.nextInt(2);
        }
        NDArray logits = arrays.create(s, b, p);
        NDArray labels = arrays.create(y, b, p);
        Grad whole = Grad.of(logits, x -> Lovasz.hinge(labels, x, true, 255));
        double sum = 0;
        for (int n = 0; n < b; n++) {
            NDArray one = logits.get(n + ":" + (n + 1));
            NDArray oneLabels = labels.get(n + ":" + (n + 1));
            sum += Grad.value(one, x -> Lovasz.hinge(oneLabels, x, false, 255));
        }
        assertEquals(sum / b, whole.loss, 1e-12);
        for (int i = p; i < 2 * p; i++) {
            assertEquals(0.0, whole.gradient[i], "all-ignored image, pixel " + i);
        }
    }

    /** Central finite differences in float64 agree with autograd. */
    @Test
    void gradientMatchesFiniteDifferences() {
        double[] s = random.normalValues(36, 2);
        long[] y = random.labelValues(36, 2, 3, 255); // labels 0/1, about one in 3 ignored (255)
        NDArray labels = arrays.create(y, 2, 3, 6);
        for (boolean perImage : new boolean[] {false, true}) {
            LovaszHingeLoss loss = LovaszHingeLoss.builder().optPerImage(perImage).optIgnoreIndex(255).build();
            Grad g = Grad.of(arrays.create(s, 2, 3, 6), x -> loss.evaluate(labels, x));
            double eps = 1e-7;
            for (int i = 0; i < s.length; i++) {
                double[] up = s.clone();
                double[] down = s.clone();
                up[i] += eps;
                down[i] -= eps;
                double numeric =
                        (Grad.value(arrays.create(up, 2, 3, 6), x -> loss.evaluate(labels, x))
                                        - Grad.value(arrays.create(down, 2, 3, 6), x -> loss.evaluate(labels, x)))
                                / (2 * eps);
                assertEquals(numeric, g.gradient[i], 1e-6, "perImage=" + perImage + " pixel " + i);
            }
        }
    }

    /** The kernel's weights equal J_k − J_{k−1} computed literally from the definition. */
    @Test
    void lovaszGradMatchesTheDefinition() {
        for (int trial = 0; trial < 10; trial++) {
            int n = 1 + random.nextInt(40);
            double[] fg = new double[n];
            for (int i = 0; i < n; i++) {
                fg[i] = random.nextInt(trial % 3 == 0 ? 5 : 2) == 0 ? 1 : 0;
            }
            double gts = 0;
            for (double v : fg) {
                gts += v;
            }
            double[] expected = new double[n];
            double cumFg = 0;
            double cumBg = 0;
            double previous = 0;
            for (int k = 0; k < n; k++) {
                cumFg += fg[k];
                cumBg += 1 - fg[k];
                double jaccard = 1 - (gts - cumFg) / (gts + cumBg);
                expected[k] = jaccard - previous;
                previous = jaccard;
            }
            double[] got = Grad.toDoubles(Lovasz.lovaszGrad(arrays.manager().create(fg)));
            for (int k = 0; k < n; k++) {
                assertEquals(expected[k], got[k], 1e-14, "trial " + trial + " k " + k);
            }
        }
    }

    /** Shapes [B, H, W] and [B, 1, H, W] give the same loss, with labels of either shape. */
    @Test
    void channelAxisOfSizeOneIsOptional() {
        double[] s = random.normalValues(2 * 4 * 5, 2);
        long[] y = random.labelValues(40, 2);
        NDArray flat = arrays.create(s, 2, 4, 5);
        NDArray withAxis = arrays.create(s, 2, 1, 4, 5);
        NDArray labels = arrays.create(y, 2, 4, 5);
        NDArray labelsWithAxis = arrays.create(y, 2, 1, 4, 5);
        LovaszHingeLoss loss = LovaszHingeLoss.builder().build();
        double a = Grad.value(flat, x -> loss.evaluate(labels, x));
        assertEquals(a, Grad.value(withAxis, x -> loss.evaluate(labels, x)), 1e-15);
        assertEquals(a, Grad.value(flat, x -> loss.evaluate(labelsWithAxis, x)), 1e-15);
    }
}
