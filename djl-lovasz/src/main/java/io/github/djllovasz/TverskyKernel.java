package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The Jaccard, Dice and Tversky losses in one place ({@link TverskyLoss} documents the formulas).
 *
 * <ol>
 *   <li><b>Check and targets</b> ({@link Targets}): shapes, label values, soft-label sums; the
 *       targets {@code y [B, C, P]}, the kept pixels, and the probabilities {@code p} (softmax
 *       over the class axis), both zero at dropped pixels.
 *   <li><b>Cardinalities</b> per image and class: {@code A = Σ p^q}, {@code Y = Σ y^q}, {@code D =
 *       Σ |p − y|^q}, then {@code tp = (A + Y − D)/2}, {@code fp = A − tp}, {@code fn = Y − tp}.
 *   <li><b>Class losses</b>: {@code T = (tp + s)/(tp + α·fp + β·fn + s)}, {@code l = 1 − T} (or
 *       {@code −log T}), then {@code l^γ}, then {@code w_c·l}.
 *   <li><b>Active classes</b>: ALL, or PRESENT: the largest kept target above the threshold.
 *   <li><b>Reductions</b>: dataset (cardinalities summed over the batch first), per image, per
 *       class, each a mean over what is active; their weighted sum.
 * </ol>
 *
 * <p>Everything is an NDArray op on the predictions' device, differentiable through {@code p}
 * only; the counts of active classes come from the targets and carry no gradient.
 */
final class TverskyKernel {

    private TverskyKernel() {}

    /**
     * Computes the loss.
     *
     * @param labels the targets and optionally a keep mask
     * @param predictions logits (or probabilities) {@code [B, C, d1, ...]}
     * @param o the settings
     * @return the scalar loss, attached to the predictions' manager
     */
    static NDArray loss(NDList labels, NDArray predictions, TverskyOptions o) {
        return OverlapKernel.run(labels, predictions, o.input, o.includeBackground, (widened, axis) ->
                compute(labels, widened, axis, o));
    }

    private static NDArray compute(NDList labels, NDArray predictions, int axis, TverskyOptions o) {
        DataType type = predictions.getDataType();
        Shape shape = predictions.getShape();
        SegmentationInputs.requireClassWeightCount(o.classWeights, shape, axis);
        NDArray classWeights =
                o.classWeights == null ? null : SegmentationInputs.classWeights(predictions, o.classWeights);
        NDArray counted = o.includeBackground ? null : OverlapKernel.withoutBackground(predictions, shape.get(axis));

        // Step 1: targets and probabilities [B, C, P], zero at dropped pixels.
        Targets targets = Targets.of(labels, predictions, axis, o.input);
        NDArray p = targets.probabilities(predictions, axis, o.input);
        NDArray y = targets.values;

        // Step 2: cardinalities per image and class [B, C].
        int[] pixels = {2};
        NDArray a = power(p, o.norm).sum(pixels);
        NDArray yy = power(y, o.norm).sum(pixels);
        NDArray d = power(p.sub(y).abs(), o.norm).sum(pixels);
        NDArray tp = a.add(yy).sub(d).mul(EngineQuirks.constant(a, 0.5));
        NDArray fp = a.sub(tp);
        NDArray fn = yy.sub(tp);

        // Step 4's data: the largest kept target per image and class [B, C].
        ClassSelection mode = targets.soft ? o.softClasses : o.hardClasses;
        NDArray largest = y.max(pixels);
        Number threshold = EngineQuirks.scalar(type, o.threshold);

        // Steps 3 to 5 per reduction.
        NDArray total = null;
        if (o.datasetReduction > 0) {
            int[] batch = {0};
            NDArray l = classLoss(tp.sum(batch), fp.sum(batch), fn.sum(batch), classWeights, o);
            NDArray active = active(mode, largest.max(batch), threshold, type, counted);
            total = weighted(total, meanOfMeans(l.reshape(1, -1), active.reshape(1, -1), 1), o.datasetReduction);
        }
        if (o.imageReduction > 0 || o.classReduction > 0) {
            NDArray l = classLoss(tp, fp, fn, classWeights, o);
            NDArray active = active(mode, largest, threshold, type, counted);
            if (o.imageReduction > 0) {
                total = weighted(total, meanOfMeans(l, active, 1), o.imageReduction);
            }
            if (o.classReduction > 0) {
                total = weighted(total, meanOfMeans(l, active, 0), o.classReduction);
            }
        }
        return total;
    }

    /** Step 3: {@code w_c · (1 − T or −log T)^γ} with T the Tversky index. */
    private static NDArray classLoss(
            NDArray tp, NDArray fp, NDArray fn, NDArray classWeights, TverskyOptions o) {
        DataType type = tp.getDataType();
        Number s = EngineQuirks.scalar(type, o.smooth);
        NDArray denominator =
                tp.add(fp.mul(EngineQuirks.constant(fp, o.alpha))).add(fn.mul(EngineQuirks.constant(fn, o.beta))).add(s);
        NDArray index = tp.add(s).div(denominator);
        NDArray l = o.logLoss ? index.log().neg() : index.neg().add(EngineQuirks.scalar(type, 1));
        if (o.gamma != 1) {
            l = l.pow(EngineQuirks.constant(l, o.gamma));
        }
        return classWeights == null ? l : l.mul(classWeights);
    }

    /**
     * Step 4: 1 where a class takes part, else 0 (ALL: everywhere; PRESENT: largest &gt;
     * threshold), and 0 for class 0 when {@code counted} leaves the background out.
     */
    private static NDArray active(
            ClassSelection mode, NDArray largest, Number threshold, DataType type, NDArray counted) {
        NDArray active = mode.isAll() ? largest.onesLike() : largest.gt(threshold).toType(type, false);
        return counted == null ? active : active.mul(counted);
    }

    /**
     * Step 5: along {@code axis}, the mean of {@code l} over the active entries of each group;
     * then the mean over the groups with at least one active entry (0 if there is none).
     */
    private static NDArray meanOfMeans(NDArray l, NDArray active, int axis) {
        int[] along = {axis};
        NDArray count = active.sum(along);
        NDArray means = l.mul(active).sum(along).div(count.maximum(1));
        NDArray counted = count.gt(0).toType(l.getDataType(), false);
        return means.mul(counted).sum().div(counted.sum().maximum(1));
    }

    private static NDArray weighted(NDArray total, NDArray term, double weight) {
        NDArray scaled = weight == 1 ? term : term.mul(EngineQuirks.constant(term, weight));
        return total == null ? scaled : total.add(scaled);
    }

    /** {@code Σ|x|^q} without the sum, for {@code x ≥ 0}. */
    private static NDArray power(NDArray x, double q) {
        return q == 1 ? x : x.pow(EngineQuirks.constant(x, q));
    }
}
