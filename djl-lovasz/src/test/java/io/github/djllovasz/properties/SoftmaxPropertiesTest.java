package io.github.djllovasz.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.djllovasz.ClassSelection;
import io.github.djllovasz.Lovasz;
import io.github.djllovasz.LovaszSoftmaxLoss;
import io.github.djllovasz.testutil.Grad;
import io.github.djllovasz.testutil.SeededArrays;
import io.github.djllovasz.testutil.TestArrays;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Lovász-Softmax properties that follow from its definition, independent of any reference. */
class SoftmaxPropertiesTest {

    @RegisterExtension final TestArrays arrays = TestArrays.perTest();
    /** One stream of seed 20181 for each test: normal values, labels and extra draws in order. */
    private final SeededArrays random = arrays.seeded(20181);

    /** At 0/1 predictions the loss of one class is exactly 1 − IoU of the predicted mask. */
    @Test
    void zeroOneProbabilitiesGiveOneMinusIou() {
        int b = 2;
        int c = 4;
        int h = 7;
        int w = 9;
        for (int trial = 0; trial < 5; trial++) {
            long[] truth = random.labelValues(b * h * w, c);
            long[] predicted = random.labelValues(b * h * w, c);
            double[] probas = new double[b * c * h * w];
            for (int n = 0; n < b; n++) {
                for (int i = 0; i < h * w; i++) {
                    int cls = (int) predicted[n * h * w + i];
                    probas[(n * c + cls) * h * w + i] = 1.0;
                }
            }
            NDArray p = arrays.create(probas, b, c, h, w);
            NDArray y = arrays.create(truth, b, h, w);
            for (int cls = 0; cls < c; cls++) {
                long inter = 0;
                long union = 0;
                for (int i = 0; i < truth.length; i++) {
                    boolean t = truth[i] == cls;
                    boolean q = predicted[i] == cls;
                    inter += t && q ? 1 : 0;
                    union += t || q ? 1 : 0;
                }
                double expected = union == 0 ? 0 : 1.0 - (double) inter / union;
                int only = cls;
                double loss =
                        Grad.value(p, x -> Lovasz.softmax(y, x, ClassSelection.of(only), false, null));
                assertEquals(expected, loss, 1e-12, "class " + cls + " trial " + trial);
            }
        }
    }

    /** The loss lies in [0, 1] for any probabilities and selection. */
    @Test
    void lossLiesInUnitInterval() {
        for (int trial = 0; trial < 20; trial++) {
            int c = 2 + random.nextInt(6);
            NDArray logits = random.normal(new Shape(2, c, 5, 6), 1 + trial);
            NDArray labels = random.labels(c, 2, 5, 6);
            for (ClassSelection s : new ClassSelection[] {ClassSelection.PRESENT, ClassSelection.ALL}) {
                for (boolean perImage : new boolean[] {false, true}) {
                    LovaszSoftmaxLoss loss =
                            LovaszSoftmaxLoss.builder().optClasses(s).optPerImage(perImage).build();
                    double v = Grad.value(logits, x -> loss.evaluate(labels, x));
                    assertTrue(v >= 0 && v <= 1, "loss " + v + " outside [0, 1]");
                }
            }
        }
    }

    /** Central finite differences in float64 agree with autograd on tie-free inputs. */
    @Test
    void gradientMatchesFiniteDifferences() {
        NDArray logits = random.normal(new Shape(2, 3, 4, 5), 2.0);
        NDArray labels = random.labels(3, 2, 4, 5);
        for (boolean perImage : new boolean[] {false, true}) {
            LovaszSoftmaxLoss loss =
                    LovaszSoftmaxLoss.builder().optPerImage(perImage).optIgnoreIndex(2).build();
            Grad g = Grad.of(logits, x -> loss.evaluate(labels, x));
            double[] base = logits.toDoubleArray();
            double eps = 1e-7;
            for (int i = 0; i < base.length; i += 3) {
                double up = valueAt(loss, base, i, eps, logits.getShape(), labels);
                double down = valueAt(loss, base, i, -eps, logits.getShape(), labels);
                double numeric = (up - down) / (2 * eps);
                assertEquals(numeric, g.gradient[i], 1e-6, "d loss / d logits[" + i + "]");
            }
        }
    }

    /** Permuting the pixels of a pooled batch leaves the loss unchanged. */
    @Test
    void invariantToPixelPermutation() {
        int c = 5;
        int pixels = 60;
        NDArray probas = random.normal(new Shape(pixels, c), 1.5).softmax(1);
        long[] labels = random.labelValues(pixels, c);
        int[] perm = shuffled(pixels);
        double[] p = probas.toDoubleArray();
        double[] permutedP = new double[p.length];
        long[] permutedY = new long[pixels];
        for (int i = 0; i < pixels; i++) {
            System.arraycopy(p, perm[i] * c, permutedP, i * c, c);
            permutedY[i] = labels[perm[i]];
        }
        for (ClassSelection s : new ClassSelection[] {ClassSelection.PRESENT, ClassSelection.ALL}) {
            double a = Grad.value(probas, x -> Lovasz.softmaxFlat(arrays.manager().create(labels), x, s));
            NDArray q = arrays.create(permutedP, pixels, c);
            double b = Grad.value(q, x -> Lovasz.softmaxFlat(arrays.manager().create(permutedY), x, s));
            assertEquals(a, b, 1e-12, "selection " + s);
        }
    }

    /** Ignoring pixels gives the same loss and gradient as removing them. */
    @Test
    void ignoringEqualsRemoving() {
        int c = 4;
        int pixels = 50;
        NDArray logits = random.normal(new Shape(1, c, pixels), 2.0);
        long[] labels = random.labelValues(pixels, c);
        int kept = 0;
        for (int i = 0; i < pixels; i++) {
            if (random.nextInt(3) == 0) {
                labels[i] = 255;
            } else {
                kept++;
            }
        }
        double[] all = logits.toDoubleArray();
        double[] subset = new double[c * kept];
        long[] subsetLabels = new long[kept];
        int[] where = new int[kept];
        for (int i = 0, j = 0; i < pixels; i++) {
            if (labels[i] != 255) {
                for (int k = 0; k < c; k++) {
                    subset[k * kept + j] = all[k * pixels + i];
                }
                subsetLabels[j] = labels[i];
                where[j++] = i;
            }
        }
        LovaszSoftmaxLoss ignoring = LovaszSoftmaxLoss.builder().optIgnoreIndex(255).build();
        LovaszSoftmaxLoss plain = LovaszSoftmaxLoss.builder().build();
        NDArray y = arrays.create(labels, 1, pixels);
        Grad withIgnore = Grad.of(logits, x -> ignoring.evaluate(y, x));
        NDArray small = arrays.create(subset, 1, c, kept);
        NDArray ySmall = arrays.create(subsetLabels, 1, kept);
        Grad removed = Grad.of(small, x -> plain.evaluate(ySmall, x));
        assertEquals(removed.loss, withIgnore.loss, 1e-12);
        for (int i = 0; i < pixels; i++) {
            if (labels[i] == 255) {
                for (int k = 0; k < c; k++) {
                    assertEquals(0.0, withIgnore.gradient[k * pixels + i], "ignored pixel " + i);
                }
            }
        }
        for (int j = 0; j < kept; j++) {
            for (int k = 0; k < c; k++) {
                assertEquals(removed.gradient[k * kept + j], withIgnore.gradient[k * pixels + where[j]], 1e-12);
            }
        }
    }

    /** With one image, per-image averaging equals pooled averaging. */
    @Test
    void perImageWithOneImageEqualsPooled() {
        NDArray logits = random.normal(new Shape(1, 6, 8, 8), 2.0);
        NDArray labels = random.labels(6, 1, 8, 8);
        for (ClassSelection s : new ClassSelection[] {ClassSelection.PRESENT, ClassSelection.ALL, ClassSelection.of(0, 5)}) {
            Grad pooled = Grad.of(logits, x -> LovaszSoftmaxLoss.builder().optClasses(s).build().evaluate(labels, x));
            Grad perImage =
                    Grad.of(logits, x -> LovaszSoftmaxLoss.builder().optClasses(s).optPerImage(true).build().evaluate(labels, x));
            assertEquals(pooled.loss, perImage.loss, 1e-12);
            for (int i = 0; i < pooled.gradient.length; i++) {
                assertEquals(pooled.gradient[i], perImage.gradient[i], 1e-12);
            }
        }
    }

    /** Per image equals the mean of each image computed alone. */
    @Test
    void perImageIsTheMeanOfSingleImages() {
        int b = 3;
        NDArray logits = random.normal(new Shape(b, 4, 5, 5), 2.0);
        NDArray labels = random.labels(3, b, 5, 5);
        LovaszSoftmaxLoss loss = LovaszSoftmaxLoss.builder().optPerImage(true).build();
        double whole = Grad.value(logits, x -> loss.evaluate(labels, x));
        double sum = 0;
        for (int n = 0; n < b; n++) {
            NDArray one = logits.get(n + ":" + (n + 1));
            NDArray oneLabels = labels.get(n + ":" + (n + 1));
            sum += Grad.value(one, x -> loss.evaluate(oneLabels, x));
        }
        assertEquals(sum / b, whole, 1e-12);
    }

    /** Channels-last input with classAxis(-1) equals channels-first. */
    @Test
    void channelsLastEqualsChannelsFirst() {
        NDArray logits = random.normal(new Shape(2, 5, 4, 6), 2.0);
        NDArray labels = random.labels(5, 2, 4, 6);
        Grad first = Grad.of(logits, x -> LovaszSoftmaxLoss.builder().build().evaluate(labels, x));
        NDArray last = logits.transpose(0, 2, 3, 1).duplicate();
        double v = Grad.value(last, x -> LovaszSoftmaxLoss.builder().optClassAxis(-1).build().evaluate(labels, x));
        assertEquals(first.loss, v, 1e-12);
    }

    private double valueAt(LovaszSoftmaxLoss loss, double[] base, int i, double delta, Shape shape, NDArray labels) {
        double[] moved = base.clone();
        moved[i] += delta;
        NDArray x = arrays.manager().create(moved, shape);
        return Grad.value(x, a -> loss.evaluate(labels, a));
    }

    private int[] shuffled(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
