package io.github.djllovasz;

import ai.djl.ndarray.NDArray;

/**
 * The whole pipeline (steps 1 to 5) for each loss, each call in its own NDManager scope. An
 * empty batch (B = 0: the last device's shard of a short batch) gives 0 with a zero gradient.
 */
public final class Pipeline {

    private Pipeline() {}

    /**
     * Lovász-Softmax (Lovász-sigmoid for C = 1).
     *
     * @param predictions logits or probabilities with a class axis
     * @param labels class ids
     * @param classAxis the class axis
     * @param fromLogits whether predictions are logits
     * @param perImage per-image averaging
     * @param ignoreIndex the ignored label or {@code null}
     * @param classes the class selection
     * @param classWeights one weight per class, or {@code null} for equal weights
     * @return the scalar loss, attached to the predictions' manager
     */
    public static NDArray softmax(
            NDArray predictions,
            NDArray labels,
            int classAxis,
            boolean fromLogits,
            boolean perImage,
            Integer ignoreIndex,
            ClassSelection classes,
            double[] classWeights) {
        return Scoped.compute(
                () -> {
                    NDArray widened = Precision.widen(predictions);
                    if (InputChecks.isEmptyBatch(widened)) {
                        SoftmaxRows.checkShapes(widened, labels, classAxis);
                        return InputChecks.zeroLoss(widened);
                    }
                    SoftmaxRows.Rows rows =
                            SoftmaxRows.build(
                                    widened,
                                    labels,
                                    classAxis,
                                    fromLogits,
                                    perImage,
                                    ignoreIndex,
                                    classes,
                                    classWeights);
                    return weightedSum(
                            LovaszKernel.rowLosses(rows.problem()), rows.weights().coefficients());
                },
                predictions,
                labels);
    }

    /**
     * Lovász hinge.
     *
     * @param logits the logits
     * @param labels 0/1 labels
     * @param perImage per-image averaging
     * @param ignoreIndex the ignored label or {@code null}
     * @return the scalar loss, attached to the logits' manager
     */
    public static NDArray hinge(
            NDArray logits, NDArray labels, boolean perImage, Integer ignoreIndex) {
        return Scoped.compute(
                () -> {
                    NDArray widened = Precision.widen(logits);
                    if (InputChecks.isEmptyBatch(widened)) {
                        InputChecks.requireBinaryShapes(widened, labels, "logits");
                        return InputChecks.zeroLoss(widened);
                    }
                    return LovaszKernel.rowLosses(
                                    HingeRows.build(widened, labels, perImage, ignoreIndex))
                            .mean();
                },
                logits,
                labels);
    }

    /** {@code Σ_r coefficients_r · losses_r} as a scalar of the losses' type. */
    private static NDArray weightedSum(NDArray losses, double[] coefficients) {
        NDArray c =
                HostArrays.doubles(losses.getManager(), coefficients)
                        .toType(losses.getDataType(), false);
        return losses.mul(c).sum();
    }
}
