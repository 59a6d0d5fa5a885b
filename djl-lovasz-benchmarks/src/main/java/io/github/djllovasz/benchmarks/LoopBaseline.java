package io.github.djllovasz.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;

/**
 * The baseline a user would write by hand: the original PyTorch code's structure in DJL ops, a
 * Java loop over images (per image) and classes, with one mask, sort, cumulative sum and dot
 * product per class. Same loss (PRESENT classes) and gradient as the library, only to be measured
 * against it. Its arrays live on the input's manager: run it in an {@link ai.djl.ndarray.NDScope}.
 */
public final class LoopBaseline {

    private LoopBaseline() {}

    /** Lovász-Softmax (PRESENT) of logits {@code [B, C, H, W]} and labels {@code [B, H, W]}; ignoreIndex may be null. */
    public static NDArray softmax(NDArray logits, NDArray labels, Integer ignoreIndex, boolean perImage) {
        NDArray probas = logits.softmax(1);
        if (!perImage) {
            return softmaxFlat(probas, labels, ignoreIndex);
        }
        NDList losses = new NDList();
        for (long b = 0; b < logits.getShape().get(0); b++) {
            NDIndex image = new NDIndex("{}:{}", b, b + 1);
            losses.add(softmaxFlat(probas.get(image), labels.get(image), ignoreIndex));
        }
        return NDArrays.stack(losses).mean();
    }

    /** The Lovász hinge of logits {@code [B, 1, H, W]} and 0/1 labels {@code [B, H, W]}; ignoreIndex may be null. */
    public static NDArray hinge(NDArray logits, NDArray labels, Integer ignoreIndex, boolean perImage) {
        long batch = logits.getShape().get(0);
        NDArray scores = logits.reshape(batch, -1);
        NDArray flatLabels = labels.reshape(batch, -1);
        if (!perImage) {
            return hingeFlat(scores.reshape(-1), flatLabels.reshape(-1), ignoreIndex);
        }
        NDList losses = new NDList();
        for (long b = 0; b < batch; b++) {
            losses.add(hingeFlat(scores.get(b), flatLabels.get(b), ignoreIndex));
        }
        return NDArrays.stack(losses).mean();
    }

    /** The Lovász weights {@code J_k − J_{k−1}} of a 0/1 row {@code [N]} sorted by decreasing error. */
    private static NDArray lovaszGrad(NDArray sortedForeground) {
        NDArray total = sortedForeground.sum();
        NDArray intersection = total.sub(sortedForeground.cumSum(0));
        NDArray union = total.add(sortedForeground.neg().add(1).cumSum(0));
        NDArray jaccard = intersection.div(union).neg().add(1);
        if (sortedForeground.getShape().get(0) == 1) {
            return jaccard;
        }
        NDArray steps = jaccard.get(new NDIndex("1:")).sub(jaccard.get(new NDIndex(":-1")));
        return jaccard.get(new NDIndex("0:1")).concat(steps, 0);
    }

    /** Lovász-Softmax of {@code [B, C, H, W]} probabilities as pixel rows {@code [P, C]}, ignored pixels dropped. */
    private static NDArray softmaxFlat(NDArray probas, NDArray labels, Integer ignoreIndex) {
        long classes = probas.getShape().get(1);
        NDArray rows = probas.transpose(0, 2, 3, 1).reshape(-1, classes);
        NDArray flatLabels = labels.reshape(-1);
        if (ignoreIndex != null) {
            NDArray valid = flatLabels.neq(ignoreIndex);
            rows = rows.get(valid);
            flatLabels = flatLabels.get(valid);
        }
        NDList losses = new NDList();
        for (long c = 0; c < classes; c++) {
            NDArray foreground = flatLabels.eq(c);
            if (!foreground.any().getBoolean()) {
                continue; // classes='present'
            }
            NDArray fg = foreground.toType(DataType.FLOAT32, false);
            NDArray errors = fg.sub(rows.get(new NDIndex(":, {}", c))).abs();
            NDArray order = errors.argSort(0, false);
            losses.add(errors.take(order).dot(lovaszGrad(fg.take(order))));
        }
        return losses.isEmpty() ? rows.sum().mul(0) : NDArrays.stack(losses).mean();
    }

    private static NDArray hingeFlat(NDArray scores, NDArray labels, Integer ignoreIndex) {
        if (ignoreIndex != null) {
            NDArray valid = labels.neq(ignoreIndex);
            scores = scores.get(valid);
            labels = labels.get(valid);
        }
        if (scores.getShape().get(0) == 0) {
            return scores.sum().mul(0);
        }
        NDArray fg = labels.toType(DataType.FLOAT32, false);
        NDArray errors = scores.mul(fg.mul(2).sub(1)).neg().add(1);
        NDArray order = errors.argSort(0, false);
        return Activation.relu(errors.take(order)).dot(lovaszGrad(fg.take(order)));
    }
}
