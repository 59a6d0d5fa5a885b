package io.github.djllovasz.metric;

import io.github.djllovasz.InputContract;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Counts one batch into a confusion matrix with NDArray ops only (no gather, put or in-place
 * update, so it runs on every engine, also while a gradient collector records).
 *
 * <p>With one-hot rows {@code T[i] = onehot(y_i)·valid_i} and {@code P[i] = onehot(argmax_c
 * x_i)} over the N pixels, the counts are the product {@code Tᵀ·P} ({@code [C, C]}, memory
 * {@code O(N·C)}). Every partial sum is an integer ≤ N, so the product is exact in float32 below
 * 2^24 pixels; larger batches count in float64.
 *
 * <p>A binary model ({@link #countBinary}) has one score per pixel; its predicted class is
 * {@code [x_i > 0]} for logits or {@code [x_i > 0.5]} for probabilities, counted the same way into
 * a 2×2 matrix (0 background, 1 foreground).
 */
final class ConfusionCounter {

    /** Pixels per batch up to which float32 counts are exact. */
    static final long FLOAT32_EXACT = 1L << 24;

    private ConfusionCounter() {}

    /** The type whose sums of 0/1 over {@code pixels} values are exact. */
    private static DataType exactType(long pixels) {
        return pixels < FLOAT32_EXACT ? DataType.FLOAT32 : DataType.FLOAT64;
    }

    /**
     * Counts a batch.
     *
     * @param predictions scores {@code [B, C, d1, ...]} (class axis {@code classAxis})
     * @param labels class ids: the prediction shape without the class axis, or with it of size 1
     * @param numClasses C
     * @param input the input contract (class axis, ignore index)
     * @return the confusion matrix and the per-image counts
     */
    static SegmentationCounts count(NDArray predictions, NDArray labels, int numClasses, InputContract input) {
        long pixels = predictions.getShape().size() / Math.max(1, numClasses);
        return count(predictions, labels, numClasses, input, exactType(pixels));
    }

    /** {@link #count(NDArray, NDArray, int, InputContract)} accumulating in {@code type}. */
    static SegmentationCounts count(
            NDArray predictions, NDArray labels, int numClasses, InputContract input, DataType type) {
        Shape shape = predictions.getShape();
        int axis = classAxis(input.getClassAxis(), shape);
        if (axis >= 1 && axis < shape.dimension() && shape.get(axis) != numClasses) {
            throw new IllegalArgumentException(
                    "predictions of shape " + shape + " have " + shape.get(axis)
                            + " classes along axis " + axis + " but numClasses is " + numClasses);
        }
        NDManager owner = predictions.getManager();
        try (NDManager scope = owner.newSubManager(predictions.getDevice())) {
            scope.tempAttachAll(predictions, labels);
            NDArray truth = input.classIds(labels, predictions); // the losses' checks
            if (shape.get(0) == 0) {
                return new SegmentationCounts(numClasses); // a device's empty chunk counts nothing
            }
            truth = truth.flatten();
            Integer ignoreIndex = input.getIgnoreIndex();
            NDArray predicted =
                    predictions.stopGradient().argMax(axis).toType(DataType.INT64, false).flatten();
            return countPairs(truth, predicted, numClasses, ignoreIndex, type, shape.get(0));
        }
    }

    /**
     * Counts a batch of a binary model into a 2×2 matrix (0 background, 1 foreground).
     *
     * @param predictions one score per pixel: {@code [B, 1, d1, ...]} with the size-1 class axis
     *     {@code classAxis}, or any shape {@code [B, ...]} equal to the labels' shape
     * @param labels 0/1 (or the ignore index): the prediction shape, or the prediction shape without
     *     its size-1 class axis
     * @param input the input contract: the class axis (only used when the labels lack it), the
     *     ignore index, and logits (foreground is {@code x > 0}) or probabilities ({@code x > 0.5},
     *     the predictions must lie in [0, 1])
     * @return the 2×2 confusion matrix and the per-image counts
     */
    static SegmentationCounts countBinary(NDArray predictions, NDArray labels, InputContract input) {
        return countBinary(predictions, labels, input, exactType(predictions.size()));
    }

    /** {@link #countBinary(NDArray, NDArray, InputContract)} accumulating in {@code type}. */
    static SegmentationCounts countBinary(NDArray predictions, NDArray labels, InputContract input, DataType type) {
        Shape shape = predictions.getShape();
        Shape labelShape = labels.getShape();
        if (shape.dimension() < 1) {
            throw new IllegalArgumentException(
                    "binary predictions of shape " + shape + " need a batch axis");
        }
        if (!labelShape.equals(shape)) {
            requireChannelFit(shape, labelShape, input.getClassAxis());
        }
        NDManager owner = predictions.getManager();
        try (NDManager scope = owner.newSubManager(predictions.getDevice())) {
            scope.tempAttachAll(predictions, labels);
            // Same pixel order: dropping or keeping a size-1 axis does not reorder elements.
            NDArray truth = input.binaryLabels(labels, predictions);
            if (shape.get(0) == 0) {
                return new SegmentationCounts(2); // a device's empty chunk counts nothing
            }
            truth = truth.flatten();
            NDArray scores = predictions.stopGradient();
            if (!input.isFromLogits()) {
                input.requireProbabilities(scores);
            }
            NDArray foreground = input.isFromLogits() ? scores.gt(0f) : scores.gt(0.5f);
            NDArray predicted = foreground.toType(DataType.INT64, false).flatten();
            return countPairs(truth, predicted, 2, input.getIgnoreIndex(), type, shape.get(0));
        }
    }

    /** The shape without one axis. */
    private static Shape withoutAxis(Shape shape, int axis) {
        return shape.slice(0, axis).addAll(shape.slice(axis + 1));
    }

    /** The class axis counted from the front (out of range stays out of range: the checks name it). */
    private static int classAxis(int axis, Shape shape) {
        return axis < 0 ? axis + shape.dimension() : axis;
    }

    /** Returns if the labels are the predictions without their size-1 class axis; else throws. */
    private static void requireChannelFit(Shape shape, Shape labelShape, int classAxis) {
        int rank = shape.dimension();
        int axis = classAxis < 0 ? classAxis + rank : classAxis;
        boolean axisExists = axis >= 1 && axis < rank;
        if (axisExists
                && shape.get(axis) == 1
                && labelShape.equals(withoutAxis(shape, axis))) {
            return;
        }
        String expected;
        if (!axisExists) {
            expected = shape + " (class axis " + classAxis + " is out of range, so no channel to drop)";
        } else if (shape.get(axis) != 1) {
            expected =
                    shape + ", or predictions with one channel along class axis " + axis
                            + " (they have " + shape.get(axis) + ") and labels without it";
        } else {
            expected =
                    shape + " or " + withoutAxis(shape, axis)
                            + " (without the size-1 class axis " + axis + ")";
        }
        throw new IllegalArgumentException(
                "labels of shape " + labelShape + " do not fit binary predictions (numClasses 1) of"
                        + " shape " + shape + ": expected labels of shape " + expected);
    }

    /**
     * Counts pairs (truth, predicted) of class ids, in total and per image.
     *
     * @param truth int64 ground truth {@code [N]}, in {@code [0, C)} or the ignore index
     * @param predicted int64 predicted classes {@code [N]} in {@code [0, C)}
     * @param numClasses C
     * @param ignoreIndex the ignored label, or {@code null}
     * @param type the type to accumulate in
     * @param images B, the images the N pixels are made of (N / B pixels each, in order)
     * @return the counts (images without a counted pixel left out)
     */
    private static SegmentationCounts countPairs(
            NDArray truth,
            NDArray predicted,
            int numClasses,
            Integer ignoreIndex,
            DataType type,
            long images) {
        NDArray truthHot;
        NDArray predictedHot = predicted.oneHot(numClasses, type);
        NDArray countedHot = predictedHot; // the predictions of counted pixels
        if (ignoreIndex == null) {
            truthHot = truth.oneHot(numClasses, type);
        } else {
            NDArray valid = truth.neq(ignoreIndex);
            NDArray column = valid.toType(type, false).expandDims(1);
            // Ignored labels may lie outside [0, C): map them to 0, then zero their rows.
            NDArray safe = truth.mul(valid.toType(DataType.INT64, false));
            truthHot = safe.oneHot(numClasses, type).mul(column);
            countedHot = predictedHot.mul(column);
        }
        NDArray counts = truthHot.transpose().matMul(predictedHot);
        int[] pixels = {1};
        NDArray intersections =
                truthHot.mul(predictedHot).reshape(images, -1, numClasses).sum(pixels);
        NDArray unions =
                truthHot.add(countedHot).reshape(images, -1, numClasses).sum(pixels).sub(intersections);
        return SegmentationCounts.ofBatch(numClasses, longs(counts), longs(intersections), longs(unions));
    }

    private static long[] longs(NDArray counts) {
        return counts.toType(DataType.INT64, false).toLongArray();
    }
}
