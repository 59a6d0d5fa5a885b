package io.github.djllovasz;

import java.util.Arrays;

/**
 * The settings of a Lovász loss, one value from the builders to the kernel. The builders fill a
 * fresh instance and hand the loss a copy, so a built loss never changes.
 */
final class LovaszOptions {

    /** Which classes are averaged over (softmax). */
    ClassSelection classes = ClassSelection.PRESENT;
    /** One problem per image, averaged over images, instead of one for the whole batch. */
    boolean perImage;
    /** The label whose pixels are dropped, or {@code null}. */
    Integer ignoreIndex;
    /** Predictions are logits (softmax, or sigmoid for C = 1, inside) rather than probabilities. */
    boolean fromLogits = true;
    /** The class axis of the predictions, negative counting from the end. */
    int classAxis = 1;
    /** One weight per class, or {@code null} for equal weights. */
    double[] classWeights;

    /** @return an independent copy */
    LovaszOptions copy() {
        LovaszOptions copy = new LovaszOptions();
        copy.classes = classes;
        copy.perImage = perImage;
        copy.ignoreIndex = ignoreIndex;
        copy.fromLogits = fromLogits;
        copy.classAxis = classAxis;
        copy.classWeights = classWeights == null ? null : classWeights.clone();
        return copy;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "classes=" + classes + ", perImage=" + perImage + ", ignoreIndex=" + ignoreIndex
                + ", fromLogits=" + fromLogits + ", classAxis=" + classAxis
                + (classWeights == null ? "" : ", classWeights=" + Arrays.toString(classWeights));
    }
}
