package io.github.djllovasz;

import java.util.Arrays;

/**
 * The settings of a Lovász loss, one value from the builders to the kernel. The builders fill a
 * fresh instance and hand the loss a copy, so a built loss never changes.
 */
final class LovaszOptions implements Cloneable {

    /** Which classes are averaged over (softmax). */
    ClassSelection classes = ClassSelection.PRESENT;
    /** One problem per image, averaged over images, instead of one for the whole batch. */
    boolean perImage;
    /** The input contract: class axis, ignore index, logits or probabilities. */
    InputContract input = InputContract.defaults();
    /** One weight per class, or {@code null} for equal weights. */
    double[] classWeights;
    /** Where the errors are sorted. */
    Kernel kernel = Kernel.AUTO;

    /** @return an independent copy (the class weights copied, everything else immutable) */
    LovaszOptions copy() {
        try {
            LovaszOptions copy = (LovaszOptions) super.clone();
            copy.classWeights = classWeights == null ? null : classWeights.clone();
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Returns a copy with another input contract.
     *
     * @param contract the contract
     * @return the copy
     */
    LovaszOptions with(InputContract contract) {
        LovaszOptions copy = copy();
        copy.input = contract;
        return copy;
    }

    /** @return the label whose pixels are dropped, or {@code null} */
    Integer ignoreIndex() {
        return input.getIgnoreIndex();
    }

    /** @return whether predictions are logits (softmax, or sigmoid for C = 1, inside) */
    boolean fromLogits() {
        return input.isFromLogits();
    }

    /** @return the class axis of the predictions, negative counting from the end */
    int classAxis() {
        return input.getClassAxis();
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "classes=" + classes + ", perImage=" + perImage + ", ignoreIndex=" + ignoreIndex()
                + ", fromLogits=" + fromLogits() + ", classAxis=" + classAxis()
                + (classWeights == null ? "" : ", classWeights=" + Arrays.toString(classWeights))
                + ", kernel=" + kernel;
    }
}
