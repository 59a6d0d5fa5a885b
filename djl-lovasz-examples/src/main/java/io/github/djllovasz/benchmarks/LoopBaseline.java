package io.github.djllovasz.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;

/**
 * The baseline a user would write by hand: the structure of the original PyTorch code in DJL
 * ops, with a Java loop over images (per image) and over classes, one boolean mask, one sort, one
 * cumulative sum and one dot product per class. It exists only to be measured against the
 * vectorised library; it computes the same loss (PRESENT classes) and has the same gradient.
 *
 * <p>Every array it creates lives on the input's manager; callers run it inside an
 * {@link ai.djl.ndarray.NDScope} (see {@link LossBenchmark#forwardBackward}) so that the
 * intermediates are freed.
 */
public final class LoopBaseline {

    private LoopBaseline() {}

    /**
     * Lovász-Softmax over the classes present in the labels.
     *
     * @param logits {@code [B, C, H, W]} (C ≥ 2)
     * @param labels {@code [B, H, W]} integer class ids
     * @param ignoreIndex the label to drop, or {@code null}
     * @param perImage loss per image, then the mean over images
     * @return the scalar loss
     */
    public static NDArray softmax(
            NDArray logits, NDArray labels, Integer ignoreIndex, boolean perImage) {
        NDArray probas = logits.softmax(1);
        if (!perImage) {
            return softmaxFlat(flattenProbas(probas, labels, ignoreIndex));
        }
        long batch = logits.getShape().get(0);
        NDList perImageLosses = new NDList();
        for (long b = 0; b < batch; b++) {
            NDArray image = probas.get(new NDIndex("{}:{}", b, b + 1));
            NDArray imageLabels = labels.get(new NDIndex("{}:{}", b, b + 1));
            perImageLosses.add(softmaxFlat(flattenProbas(image, imageLabels, ignoreIndex)));
        }
        return NDArrays.stack(perImageLosses).mean();
    }

    /**
     * Lovász hinge.
     *
     * @param logits {@code [B, H, W]} or {@code [B, 1, H, W]}
     * @param labels 0/1 labels of {@code [B, H, W]}
     * @param ignoreIndex the label to drop, or {@code null}
     * @param perImage loss per image, then the mean over images
     * @return the scalar loss
     */
    public static NDArray hinge(
            NDArray logits, NDArray labels, Integer ignoreIndex, boolean perImage) {
        long batch = logits.getShape().get(0);
        NDArray scores = logits.reshape(batch, -1);
        NDArray flatLabels = labels.reshape(batch, -1);
        if (!perImage) {
            return hingeFlat(scores.reshape(-1), flatLabels.reshape(-1), ignoreIndex);
        }
        NDList perImageLosses = new NDList();
        for (long b = 0; b < batch; b++) {
            perImageLosses.add(hingeFlat(scores.get(b), flatLabels.get(b), ignoreIndex));
        }
        return NDArrays.stack(perImageLosses).mean();
    }

    /**
     * The Lovász weights of one sorted 0/1 row: {@code J_k − J_{k−1}} with
     * {@code J_k = 1 − |F \ top_k| / |F ∪ top_k|}.
     *
     * @param sortedForeground {@code [N]} float 0/1, sorted by decreasing error
     * @return {@code [N]}
     */
    public static NDArray lovaszGrad(NDArray sortedForeground) {
        long length = sortedForeground.getShape().get(0);
        NDArray total = sortedForeground.sum();
        NDArray intersection = total.sub(sortedForeground.cumSum(0));
        NDArray union = total.add(sortedForeground.neg().add(1).cumSum(0));
        NDArray jaccard = intersection.div(union).neg().add(1);
        if (length == 1) {
            return jaccard;
        }
        NDArray head = jaccard.get(new NDIndex("0:1"));
        NDArray steps = jaccard.get(new NDIndex("1:")).sub(jaccard.get(new NDIndex(":-1")));
        return head.concat(steps, 0);
    }

    /** Pixels of {@code [B, C, H, W]} probabilities as rows {@code [P, C]}, ignored ones dropped. */
    private static Flat flattenProbas(NDArray probas, NDArray labels, Integer ignoreIndex) {
        long classes = probas.getShape().get(1);
        NDArray rows = probas.transpose(0, 2, 3, 1).reshape(-1, classes);
        NDArray flatLabels = labels.reshape(-1);
        if (ignoreIndex == null) {
            return new Flat(rows, flatLabels);
        }
        NDArray valid = flatLabels.neq(ignoreIndex);
        return new Flat(rows.get(valid), flatLabels.get(valid));
    }

    private static NDArray softmaxFlat(Flat flat) {
        long classes = flat.probas().getShape().get(1);
        List<NDArray> losses = new ArrayList<>();
        for (long c = 0; c < classes; c++) {
            NDArray foreground = flat.labels().eq(c);
            if (!foreground.any().getBoolean()) {
                continue; // classes='present'
            }
            NDArray fg = foreground.toType(DataType.FLOAT32, false);
            NDArray classProbas = flat.probas().get(new NDIndex(":, {}", c));
            NDArray errors = fg.sub(classProbas).abs();
            NDArray order = errors.argSort(0, false);
            NDArray sortedErrors = errors.take(order);
            NDArray sortedForeground = fg.take(order);
            losses.add(sortedErrors.dot(lovaszGrad(sortedForeground)));
        }
        if (losses.isEmpty()) {
            return flat.probas().sum().mul(0);
        }
        return NDArrays.stack(new NDList(losses)).mean();
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
        NDArray signs = fg.mul(2).sub(1);
        NDArray errors = scores.mul(signs).neg().add(1);
        NDArray order = errors.argSort(0, false);
        NDArray sortedErrors = errors.take(order);
        NDArray sortedForeground = fg.take(order);
        return Activation.relu(sortedErrors).dot(lovaszGrad(sortedForeground));
    }

    private record Flat(NDArray probas, NDArray labels) {}
}
