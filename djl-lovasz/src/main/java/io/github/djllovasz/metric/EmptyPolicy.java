package io.github.djllovasz.metric;

/**
 * What a ratio of zero over zero counts as: a class absent from both the ground truth and the
 * prediction (of one image, or of the whole data set) has IoU and Dice {@code 0/0}; a class never
 * predicted has precision {@code TP/(TP+FP) = 0/0}; a class absent from the ground truth has
 * recall {@code TP/(TP+FN) = 0/0}.
 *
 * <p>The same policy holds for every figure of a {@link SegmentationReport}: dataset, per image and
 * per class. It is MONAI's {@code ignore_empty} ({@code SKIP} is {@code ignore_empty=True}) and
 * torchmetrics' {@code zero_division} ({@code ONE} is {@code zero_division=1}, {@code ZERO} is
 * {@code zero_division=0}).
 */
public enum EmptyPolicy {

    /**
     * Leaves the ratio out of every mean, and reports it as NaN in per-class and per-image arrays
     * (the default; a mean over nothing is NaN).
     */
    SKIP(Double.NaN),

    /** Counts the ratio as 1: nothing to find and nothing found is a perfect score. */
    ONE(1),

    /** Counts the ratio as 0. */
    ZERO(0);

    private final double empty;

    EmptyPolicy(double empty) {
        this.empty = empty;
    }

    /**
     * Returns a ratio of counts under this policy.
     *
     * @param numerator the numerator, at most the denominator
     * @param denominator the denominator, at least 0
     * @return {@code numerator / denominator}, or for a zero denominator NaN, 1 or 0
     */
    double ratio(long numerator, long denominator) {
        return denominator > 0 ? (double) numerator / denominator : empty;
    }
}
