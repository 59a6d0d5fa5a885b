package io.github.djllovasz;

/**
 * The settings of a {@link GeneralizedDiceLoss}, one value from its builder to {@link
 * GeneralizedDiceKernel}. The builder fills a fresh instance and hands the loss a copy, so a built
 * loss never changes.
 */
final class GeneralizedDiceOptions implements Cloneable {

    /** How the class weights follow from the ground-truth volume. */
    GeneralizedDiceLoss.Weighting weightType = GeneralizedDiceLoss.Weighting.SQUARE;
    /** Per image (MONAI {@code batch=False}, the default) or pooled over the batch. */
    boolean perImage = true;
    /** Whether class 0 takes part. */
    boolean includeBackground = true;
    /** Added to the numerator. */
    double smoothNumerator = 1e-5;
    /** Added to the denominator. */
    double smoothDenominator = 1e-5;
    /** The input contract: class axis, ignore index, logits, soft labels, multilabel. */
    InputContract input = InputContract.defaults();

    /** @return an independent copy (every field is immutable) */
    GeneralizedDiceOptions copy() {
        try {
            return (GeneralizedDiceOptions) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "weightType=" + weightType + ", perImage=" + perImage + ", includeBackground=" + includeBackground
                + ", smooth(numerator, denominator)=(" + smoothNumerator + ", " + smoothDenominator + "), " + input;
    }
}
