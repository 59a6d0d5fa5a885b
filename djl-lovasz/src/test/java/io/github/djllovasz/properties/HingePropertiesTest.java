package io.github.djllovasz.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.djllovasz.Lovasz;
import io.github.djllovasz.LovaszHingeLoss;
import io.github.djllovasz.testutil.Grad;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lovász-hinge and Lovász-weight properties that follow from the definition. */
class HingePropertiesTest {

    private NDManager manager;
    private final Random random = new Random(2018);

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** One pixel: the Lovász hinge is the ordinary hinge relu(1 − s·(2y − 1)). */
    @Test
    void singlePixelIsTheHinge() {
        double[][] cases = {{0.25, 1, 0.75, -1}, {0.625, 0, 1.625, 1}, {1.75, 1, 0, 0}, {-3, 0, 0, 0}};
        for (double[] c : cases) {
            NDArray s = manager.create(new double[] {c[0]});
            NDArray y = manager.create(new long[] {(long) c[1]});
            Grad g = Grad.of(s, x -> Lovasz.hingeFlat(y, x));
            assertEquals(c[2], g.loss, 1e-15, "loss at s=" + c[0] + " y=" + c[1]);
            assertEquals(c[3], g.gradient[0], 1e-15, "gradient at s=" + c[0] + " y=" + c[1]);
        }
    }

    /** All background: the weights are [1, 0, ...], so the loss is relu(max_i(1 + s_i)). */
    @Test
    void allBackgroundIsTheLargestError() {
        double[] s = normal(40, 1.5);
        double max = Double.NEGATIVE_INFINITY;
        for (double v : s) {
            max = Math.max(max, 1 + v);
        }
        NDArray logits = manager.create(s, new Shape(2, 4, 5));
        NDArray labels = manager.zeros(new Shape(2, 4, 5), ai.djl.ndarray.types.DataType.INT64);
        double loss = Grad.value(logits, x -> Lovasz.hinge(labels, x, false, null));
        assertEquals(Math.max(0, max), loss, 1e-12);
    }

    /** All foreground: the weights are 1/P, so the loss is mean_i relu(1 − s_i). */
    @Test
    void allForegroundIsTheMeanHinge() {
        double[] s = normal(30, 1.5);
        double sum = 0;
        for (double v : s) {
            sum += Math.max(0, 1 - v);
        }
        NDArray logits = manager.create(s, new Shape(1, 30));
        NDArray labels = manager.ones(new Shape(1, 30), ai.djl.ndarray.types.DataType.INT64);
        assertEquals(sum / 30, Grad.value(logits, x -> Lovasz.hinge(labels, x, true, null)), 1e-12);
    }

    /** Per image is the mean of the images computed alone; an all-ignored image counts as 0. */
    @Test
    void perImageIsTheMeanOfImagesAndEmptyImagesCount() {
        int b = 3;
        int p = 20;
        double[] s = normal(b * p, 2);
        long[] y = new long[b * p];
        for (int i = 0; i < y.length; i++) {
            y[i] = i / p == 1 ? 255 : random.nextInt(2);
        }
        NDArray logits = manager.create(s, new Shape(b, p));
        NDArray labels = manager.create(y, new Shape(b, p));
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
        double[] s = normal(36, 2);
        long[] y = new long[36];
        for (int i = 0; i < y.length; i++) {
            y[i] = random.nextInt(3) == 0 ? 255 : random.nextInt(2);
        }
        NDArray labels = manager.create(y, new Shape(2, 3, 6));
        for (boolean perImage : new boolean[] {false, true}) {
            LovaszHingeLoss loss = LovaszHingeLoss.builder().optPerImage(perImage).optIgnoreIndex(255).build();
            Grad g = Grad.of(manager.create(s, new Shape(2, 3, 6)), x -> loss.evaluate(labels, x));
            double eps = 1e-7;
            for (int i = 0; i < s.length; i++) {
                double[] up = s.clone();
                double[] down = s.clone();
                up[i] += eps;
                down[i] -= eps;
                double numeric =
                        (Grad.value(manager.create(up, new Shape(2, 3, 6)), x -> loss.evaluate(labels, x))
                                        - Grad.value(manager.create(down, new Shape(2, 3, 6)), x -> loss.evaluate(labels, x)))
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
            double[] got = Grad.toDoubles(Lovasz.lovaszGrad(manager.create(fg)));
            for (int k = 0; k < n; k++) {
                assertEquals(expected[k], got[k], 1e-14, "trial " + trial + " k " + k);
            }
        }
    }

    /** Shapes [B, H, W] and [B, 1, H, W] give the same loss, with labels of either shape. */
    @Test
    void channelAxisOfSizeOneIsOptional() {
        double[] s = normal(2 * 4 * 5, 2);
        long[] y = new long[40];
        for (int i = 0; i < y.length; i++) {
            y[i] = random.nextInt(2);
        }
        NDArray flat = manager.create(s, new Shape(2, 4, 5));
        NDArray withAxis = manager.create(s, new Shape(2, 1, 4, 5));
        NDArray labels = manager.create(y, new Shape(2, 4, 5));
        NDArray labelsWithAxis = manager.create(y, new Shape(2, 1, 4, 5));
        LovaszHingeLoss loss = LovaszHingeLoss.builder().build();
        double a = Grad.value(flat, x -> loss.evaluate(labels, x));
        assertEquals(a, Grad.value(withAxis, x -> loss.evaluate(labels, x)), 1e-15);
        assertEquals(a, Grad.value(flat, x -> loss.evaluate(labelsWithAxis, x)), 1e-15);
    }

    private double[] normal(int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian() * scale;
        }
        return v;
    }
}
