package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Functional Lovász losses for people who compose their own: the original's functions, with its
 * argument names, in DJL's argument order (labels first, then predictions, as in {@code
 * Loss.evaluate}). Every function returns a scalar on the predictions' manager and closes its
 * intermediates.
 */
public final class Lovasz {

    private Lovasz() {}

    /**
     * Lovász-Softmax from probabilities, as the original's {@code lovasz_softmax}.
     *
     * @param probas class probabilities {@code [B, C, d1, ...]}; for C = 1 also {@code [B, d1, ...]}
     *     (the foreground probability, shaped like the labels)
     * @param labels class ids {@code [B, d1, ...]}
     * @param classes the class selection
     * @param perImage per-image averaging
     * @param ignoreIndex the ignored label, or {@code null}
     * @return the loss; see {@link LovaszSoftmaxLoss} for the formula and edge cases
     */
    public static NDArray softmax(
            NDArray labels,
            NDArray probas,
            ClassSelection classes,
            boolean perImage,
            Integer ignoreIndex) {
        return Scoped.compute(
                () -> {
                    NDArray input =
                            probas.getShape().equals(labels.getShape())
                                    ? probas.expandDims(1)
                                    : probas;
                    return Pipeline.softmax(
                            input, labels, 1, false, perImage, ignoreIndex, classes, null);
                },
                probas,
                labels);
    }

    /**
     * Lovász-Softmax over flat pixels, as the original's {@code lovasz_softmax_flat}.
     *
     * @param probas class probabilities {@code [P, C]}
     * @param labels class ids {@code [P]}
     * @param classes the class selection
     * @return the loss
     */
    public static NDArray softmaxFlat(NDArray labels, NDArray probas, ClassSelection classes) {
        if (probas.getShape().dimension() != 2 || labels.getShape().dimension() != 1) {
            throw new IllegalArgumentException(
                    "softmaxFlat expects probas [P, C] and labels [P], got "
                            + probas.getShape() + " and " + labels.getShape());
        }
        return Scoped.compute(
                () ->
                        Pipeline.softmax(
                                probas.expandDims(0),
                                labels.expandDims(0),
                                -1,
                                false,
                                false,
                                null,
                                classes,
                                null),
                probas,
                labels);
    }

    /**
     * Lovász hinge from logits, as the original's {@code lovasz_hinge}.
     *
     * @param logits {@code [B, d1, ...]} or {@code [B, 1, d1, ...]}
     * @param labels 0/1 labels
     * @param perImage per-image averaging
     * @param ignoreIndex the ignored label, or {@code null}
     * @return the loss; see {@link LovaszHingeLoss}
     */
    public static NDArray hinge(
            NDArray labels, NDArray logits, boolean perImage, Integer ignoreIndex) {
        return Pipeline.hinge(logits, labels, perImage, ignoreIndex);
    }

    /**
     * Lovász hinge over flat pixels, as the original's {@code lovasz_hinge_flat}.
     *
     * @param logits {@code [P]}
     * @param labels 0/1 labels {@code [P]}
     * @return the loss
     */
    public static NDArray hingeFlat(NDArray labels, NDArray logits) {
        if (logits.getShape().dimension() != 1 || !logits.getShape().equals(labels.getShape())) {
            throw new IllegalArgumentException(
                    "hingeFlat expects logits [P] and labels [P], got "
                            + logits.getShape() + " and " + labels.getShape());
        }
        return Pipeline.hinge(logits, labels, false, null);
    }

    /**
     * The Lovász weights of sorted ground truth (the original's {@code lovasz_grad}): the
     * gradient of the Lovász extension of the Jaccard loss at errors sorted in decreasing order.
     *
     * @param sortedForeground 0/1 (or boolean) ground truth sorted by decreasing error, {@code [P]}
     *     or one row per problem {@code [R, P]}
     * @return the weights, same shape, float32 (float64 if the input is float64 or P ≥ 2^24)
     */
    public static NDArray lovaszGrad(NDArray sortedForeground) {
        boolean flat = sortedForeground.getShape().dimension() == 1;
        if (!flat && sortedForeground.getShape().dimension() != 2) {
            throw new IllegalArgumentException(
                    "lovaszGrad expects [P] or [R, P], got " + sortedForeground.getShape());
        }
        return Scoped.compute(
                () -> {
                    NDArray rows = flat ? sortedForeground.reshape(1, -1) : sortedForeground;
                    long length = rows.getShape().get(1);
                    DataType type =
                            LovaszKernel.countType(sortedForeground.getDataType(), length);
                    NDArray weights = LovaszKernel.lovaszWeights(rows, null, type);
                    return flat ? weights.reshape(-1) : weights;
                },
                sortedForeground);
    }
}
