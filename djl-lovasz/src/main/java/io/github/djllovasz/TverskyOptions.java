package io.github.djllovasz;

import java.util.Arrays;

/**
 * The settings of a {@link TverskyLoss}, one value from its builder to {@link TverskyKernel}. The
 * builder fills a fresh instance and hands the loss a copy, so a built loss never changes.
 */
final class TverskyOptions implements Cloneable {

    /** Weight α of the false positives (Jaccard 1, Dice ½). */
    double alpha = 1;
    /** Weight β of the false negatives (Jaccard 1, Dice ½). */
    double beta = 1;
    /** Focal power γ ≥ 1 of each class loss. */
    double gamma = 1;
    /** Additive smoothing s ≥ 0 of the numerator and the denominator. */
    double smooth = 1e-3;
    /** The norm q ≥ 1 of the cardinalities {@code Σ|x|^q}. */
    double norm = 1;
    /** {@code −log T} instead of {@code 1 − T}. */
    boolean logLoss;
    /** One weight per class (not normalised), or {@code null}. */
    double[] classWeights;
    /** Active classes with hard labels. */
    ClassSelection hardClasses = ClassSelection.PRESENT;
    /** Active classes with soft targets (soft labels or label smoothing). */
    ClassSelection softClasses = ClassSelection.ALL;
    /** PRESENT means a largest kept target strictly above this. */
    double threshold = 0.01;
    /** Whether class 0 takes part (false: MONAI's {@code include_background=False}). */
    boolean includeBackground = true;
    /** Weights of the dataset, per-image and per-class reductions. */
    double datasetReduction = 1;
    double imageReduction;
    double classReduction;
    /** The input contract: class axis, ignore index, logits, soft labels, label smoothing. */
    InputContract input = InputContract.defaults();

    /** @return an independent copy (the class weights copied, everything else immutable) */
    TverskyOptions copy() {
        try {
            TverskyOptions copy = (TverskyOptions) super.clone();
            copy.classWeights = classWeights == null ? null : classWeights.clone();
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "alpha=" + alpha + ", beta=" + beta + ", gamma=" + gamma + ", smooth=" + smooth
                + ", norm=" + norm + ", logLoss=" + logLoss + ", reductions(D, I, C)=(" + datasetReduction
                + ", " + imageReduction + ", " + classReduction + "), classes(hard, soft)=(" + hardClasses
                + ", " + softClasses + "), threshold=" + threshold
                + (includeBackground ? "" : ", includeBackground=false") + ", " + input
                + (classWeights == null ? "" : ", classWeights=" + Arrays.toString(classWeights));
    }
}
