package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import java.util.Objects;

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
     * @param labels class ids {@code [B, d1, ...]}
     * @param probas class probabilities {@code [B, C, d1, ...]}; for C = 1 also {@code [B, d1, ...]}
     *     (the foreground probability, shaped like the labels)
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
        LovaszOptions options = new LovaszOptions();
        options.classes = Objects.requireNonNull(classes, "classes");
        options.perImage = perImage;
        options.input = InputContract.defaults().withIgnoreIndex(ignoreIndex).withFromLogits(false);
        return Scoped.compute(
                () -> {
                    NDArray input =
                            probas.getShape().equals(labels.getShape())
                                    ? probas.expandDims(1)
                                    : probas;
                    return LovaszKernel.softmax(new NDList(labels), input, options);
                },
                probas,
                labels);
    }

    /**
     * Lovász-Softmax over flat pixels, as the original's {@code lovasz_softmax_flat}.
     *
     * @param labels class ids {@code [P]}
     * @param probas class probabilities {@code [P, C]}
     * @param classes the class selection
     * @return the loss
     */
    public static NDArray softmaxFlat(NDArray labels, NDArray probas, ClassSelection classes) {
        if (probas.getShape().dimension() != 2 || labels.getShape().dimension() != 1) {
            throw new IllegalArgumentException(
                    "softmaxFlat expects probas [P, C] and labels [P], got "
                            + probas.getShape() + " and " + labels.getShape());
        }
        LovaszOptions options = new LovaszOptions();
        options.classes = Objects.requireNonNull(classes, "classes");
        options.input = InputContract.defaults().withFromLogits(false).withClassAxis(-1);
        return Scoped.compute(
                () -> LovaszKernel.softmax(new NDList(labels.expandDims(0)), probas.expandDims(0), options),
                probas,
                labels);
    }

    /**
     * Lovász hinge from logits, as the original's {@code lovasz_hinge}.
     *
     * @param labels 0/1 labels
     * @param logits {@code [B, d1, ...]} or {@code [B, 1, d1, ...]}
     * @param perImage per-image averaging
     * @param ignoreIndex the ignored label, or {@code null}
     * @return the loss; see {@link LovaszHingeLoss}
     */
    public static NDArray hinge(
            NDArray labels, NDArray logits, boolean perImage, Integer ignoreIndex) {
        LovaszOptions options = new LovaszOptions();
        options.perImage = perImage;
        options.input = InputContract.defaults().withIgnoreIndex(ignoreIndex);
        return LovaszKernel.hinge(new NDList(labels), logits, options);
    }

    /**
     * Lovász hinge over flat pixels, as the original's {@code lovasz_hinge_flat}.
     *
     * @param labels 0/1 labels {@code [P]}
     * @param logits {@code [P]}
     * @return the loss
     */
    public static NDArray hingeFlat(NDArray labels, NDArray logits) {
        if (logits.getShape().dimension() != 1 || !logits.getShape().equals(labels.getShape())) {
            throw new IllegalArgumentException(
                    "hingeFlat expects logits [P] and labels [P], got "
                            + logits.getShape() + " and " + labels.getShape());
        }
        return LovaszKernel.hinge(new NDList(labels), logits, new LovaszOptions());
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
                    NDArray weights = LovaszKernel.jaccardWeights(rows.toType(type, false));
                    return flat ? weights.reshape(-1) : weights;
                },
                sortedForeground);
    }
}
