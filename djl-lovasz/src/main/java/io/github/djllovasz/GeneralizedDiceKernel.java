package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * The Generalized Dice loss in one place ({@link GeneralizedDiceLoss} documents the formula).
 *
 * <ol>
 *   <li><b>Check and targets</b> ({@link Targets}): shapes, label values; targets {@code y [B, C,
 *       P]} and probabilities {@code p} (softmax, or a sigmoid per channel), zero at dropped
 *       pixels.
 *   <li><b>Sums</b> per image and class: {@code I = Σ p·y}, {@code S = Σ p + Σ y}, {@code G = Σ
 *       y}; class 0 dropped without the background; summed over the batch unless per image.
 *   <li><b>Weights</b> from G in float32, as the reference: {@code 1/G²}, {@code 1/G} or 1; an
 *       infinite weight (a class absent from the row) becomes the row's largest finite weight.
 *   <li><b>Row loss</b> {@code 1 − (2·Σ_c w_c·I_c + s_nr) / (Σ_c w_c·S_c + s_dr)}, then the mean
 *       over the rows (the images with a kept pixel, or the one pooled row).
 * </ol>
 *
 * <p>Every step runs on the predictions' device; the weights come from the targets and carry no
 * gradient.
 */
final class GeneralizedDiceKernel {

    private GeneralizedDiceKernel() {}

    /**
     * Computes the loss.
     *
     * @param labels the targets and optionally a keep mask
     * @param predictions logits (or probabilities) {@code [B, C, d1, ...]}
     * @param o the settings
     * @return the scalar loss, attached to the predictions' manager
     */
    static NDArray loss(NDList labels, NDArray predictions, GeneralizedDiceOptions o) {
        return OverlapKernel.run(labels, predictions, o.input, o.includeBackground, (widened, axis) ->
                compute(labels, widened, axis, o));
    }

    private static NDArray compute(NDList labels, NDArray predictions, int axis, GeneralizedDiceOptions o) {
        DataType type = predictions.getDataType();

        // Step 1: targets and probabilities [B, C, P], zero at dropped pixels.
        Targets targets = Targets.of(labels, predictions, axis, o.input);
        NDArray p = targets.probabilities(predictions, axis, o.input);
        NDArray y = targets.values;

        // Step 2: sums per image and class [B, C] (or [1, C] pooled), without class 0 if asked.
        int[] pixels = {2};
        NDArray intersection = p.mul(y).sum(pixels);
        NDArray truth = y.sum(pixels);
        NDArray sizes = p.sum(pixels).add(truth);
        if (!o.includeBackground) {
            NDIndex classes = new NDIndex(":, 1:");
            intersection = intersection.get(classes);
            truth = truth.get(classes);
            sizes = sizes.get(classes);
        }
        if (!o.perImage) {
            int[] batch = {0};
            intersection = intersection.sum(batch, true);
            truth = truth.sum(batch, true);
            sizes = sizes.sum(batch, true);
        }

        // Step 3: class weights per row, without gradient.
        NDArray w = weights(truth, o.weightType).toType(type, false);

        // Step 4: the loss of each row, then their mean.
        int[] classes = {1};
        NDArray numerator =
                intersection.mul(w).sum(classes).mul(EngineQuirks.constant(intersection, 2))
                        .add(EngineQuirks.scalar(type, o.smoothNumerator));
        NDArray denominator = sizes.mul(w).sum(classes).add(EngineQuirks.scalar(type, o.smoothDenominator));
        NDArray rows = numerator.div(denominator).neg().add(EngineQuirks.scalar(type, 1));
        if (!o.perImage || targets.keep == null) {
            return rows.mean();
        }
        // Images without a kept pixel take no part.
        NDArray counted = targets.keep.sum(new int[] {1, 2}).gt(0).toType(type, false);
        return rows.mul(counted).sum().div(counted.sum().maximum(1));
    }

    /**
     * Step 3: {@code 1/G²}, {@code 1/G} or 1 per row and class, computed in float32 from {@code
     * G} as the reference does; infinite weights (G = 0) replaced by the row's largest finite
     * weight (0 if there is none).
     *
     * @param truth G, {@code [rows, C']}
     * @param type the weighting
     * @return float32 weights {@code [rows, C']}
     */
    private static NDArray weights(NDArray truth, GeneralizedDiceLoss.Weighting type) {
        NDArray g = truth.stopGradient().toType(DataType.FLOAT32, false);
        switch (type) {
            case UNIFORM:
                return g.onesLike();
            case SIMPLE:
                return finiteOrLargest(g.onesLike().div(g));
            case SQUARE:
                return finiteOrLargest(g.onesLike().div(g.mul(g)));
            default:
                throw new AssertionError(type);
        }
    }

    /** Replaces each infinite weight by the largest finite weight of its row. */
    private static NDArray finiteOrLargest(NDArray w) {
        NDArray infinite = w.eq(Float.POSITIVE_INFINITY); // MXNet has no isInfinite
        NDArray finite = NDArrays.where(infinite, w.zerosLike(), w);
        NDArray largest = finite.max(new int[] {1}, true);
        return finite.add(infinite.toType(DataType.FLOAT32, false).mul(largest));
    }
}
