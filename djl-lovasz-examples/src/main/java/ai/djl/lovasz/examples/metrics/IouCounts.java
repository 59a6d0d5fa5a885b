package ai.djl.lovasz.examples.metrics;

import java.util.Arrays;

/**
 * Confusion counts for intersection-over-union, accumulated over any number of pixels: for each
 * class c, {@code IoU_c = |P_c ∩ T_c| / |P_c ∪ T_c|} with P the predicted and T the true pixels of
 * c, both restricted to non-ignored pixels. Counting over a whole data set before dividing gives
 * the "dataset IoU" of the original's {@code iou(..., per_image=False)}.
 */
public final class IouCounts {

    private final int classes;
    private final Integer ignoreIndex;
    private final long[] intersection;
    private final long[] predicted;
    private final long[] truth;
    private long correct;
    private long counted;

    /**
     * Creates empty counts.
     *
     * @param classes the number of classes (ids 0..classes-1)
     * @param ignoreIndex the ignored label, or {@code null}
     */
    public IouCounts(int classes, Integer ignoreIndex) {
        this.classes = classes;
        this.ignoreIndex = ignoreIndex;
        this.intersection = new long[classes];
        this.predicted = new long[classes];
        this.truth = new long[classes];
    }

    /** @return the number of classes */
    public int classes() {
        return classes;
    }

    /**
     * Adds pixels.
     *
     * @param predictions predicted class ids, each in {@code [0, classes)}
     * @param labels true class ids (or the ignore index), same length
     * @return this
     */
    public IouCounts add(int[] predictions, int[] labels) {
        if (predictions.length != labels.length) {
            throw new IllegalArgumentException(
                    predictions.length + " predictions for " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            int t = labels[i];
            if (ignoreIndex != null && t == ignoreIndex) {
                continue;
            }
            int p = predictions[i];
            if (t < 0 || t >= classes || p < 0 || p >= classes) {
                throw new IllegalArgumentException(
                        "class id out of [0, " + classes + "): label " + t + ", prediction " + p);
            }
            predicted[p]++;
            truth[t]++;
            counted++;
            if (p == t) {
                intersection[t]++;
                correct++;
            }
        }
        return this;
    }

    /**
     * Adds other counts.
     *
     * @param other counts of the same number of classes
     * @return this
     */
    public IouCounts add(IouCounts other) {
        if (other.classes != classes) {
            throw new IllegalArgumentException(other.classes + " classes, expected " + classes);
        }
        for (int c = 0; c < classes; c++) {
            intersection[c] += other.intersection[c];
            predicted[c] += other.predicted[c];
            truth[c] += other.truth[c];
        }
        correct += other.correct;
        counted += other.counted;
        return this;
    }

    /**
     * Returns the IoU of one class.
     *
     * @param c the class
     * @return the IoU in [0, 1], or NaN if the class is neither predicted nor true anywhere
     */
    public double iou(int c) {
        long union = predicted[c] + truth[c] - intersection[c];
        return union == 0 ? Double.NaN : (double) intersection[c] / union;
    }

    /** @return the IoU of every class (NaN where undefined) */
    public double[] ious() {
        double[] ious = new double[classes];
        for (int c = 0; c < classes; c++) {
            ious[c] = iou(c);
        }
        return ious;
    }

    /**
     * Returns the mean IoU over the classes where it is defined.
     *
     * @return the mIoU in [0, 1], or NaN if no class is defined
     */
    public double meanIou() {
        return Arrays.stream(ious()).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
    }

    /**
     * Returns the mean IoU over all classes, counting an undefined class as {@code empty} (the
     * original's {@code EMPTY=1}).
     *
     * @param empty the value of an undefined class
     * @return the mIoU
     */
    public double meanIou(double empty) {
        return Arrays.stream(ious()).map(v -> Double.isNaN(v) ? empty : v).average().orElse(empty);
    }

    /** @return the fraction of counted pixels predicted correctly, NaN if none */
    public double accuracy() {
        return counted == 0 ? Double.NaN : (double) correct / counted;
    }

    /** @return the number of counted (non-ignored) pixels */
    public long counted() {
        return counted;
    }
}
