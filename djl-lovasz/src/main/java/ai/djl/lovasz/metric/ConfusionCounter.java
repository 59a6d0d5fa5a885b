package ai.djl.lovasz.metric;

import ai.djl.lovasz.internal.InputChecks;
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
 */
final class ConfusionCounter {

    /** Pixels per batch up to which float32 counts are exact. */
    static final long FLOAT32_EXACT = 1L << 24;

    private ConfusionCounter() {}

    /**
     * Counts a batch.
     *
     * @param predictions scores {@code [B, C, d1, ...]} (class axis {@code classAxis})
     * @param labels class ids: the prediction shape without the class axis, or with it of size 1
     * @param numClasses C
     * @param classAxis the class axis of the predictions, negative counting from the end
     * @param ignoreIndex the ignored label, or {@code null}
     * @return row-major counts {@code [truth·C + predicted]}
     */
    static long[] count(
            NDArray predictions, NDArray labels, int numClasses, int classAxis, Integer ignoreIndex) {
        long pixels = predictions.getShape().size() / Math.max(1, numClasses);
        DataType type = pixels < FLOAT32_EXACT ? DataType.FLOAT32 : DataType.FLOAT64;
        return count(predictions, labels, numClasses, classAxis, ignoreIndex, type);
    }

    /** {@link #count(NDArray, NDArray, int, int, Integer)} accumulating in {@code type}. */
    static long[] count(
            NDArray predictions,
            NDArray labels,
            int numClasses,
            int classAxis,
            Integer ignoreIndex,
            DataType type) {
        Shape shape = predictions.getShape();
        if (shape.dimension() < 2) {
            throw new IllegalArgumentException(
                    "predictions of shape " + shape + " need a batch axis and a class axis");
        }
        int axis = InputChecks.resolveClassAxis(classAxis, shape);
        if (shape.get(axis) != numClasses) {
            throw new IllegalArgumentException(
                    "predictions of shape " + shape + " have " + shape.get(axis)
                            + " classes along axis " + axis + " but numClasses is " + numClasses);
        }
        if (shape.size() == 0) {
            throw new IllegalArgumentException(
                    "predictions of shape " + shape + " are empty: nothing to count");
        }
        InputChecks.requireFloatAndSameDevice(predictions, labels, "predictions");
        NDManager owner = predictions.getManager();
        try (NDManager scope = owner.newSubManager(predictions.getDevice())) {
            scope.tempAttachAll(predictions, labels);
            NDArray truth = InputChecks.labelsForClassAxis(shape, axis, labels).flatten();
            InputChecks.checkLabelRange(
                    truth, ignoreIndex, 0, numClasses - 1, "[0, " + numClasses + ")");
            NDArray truthHot;
            if (ignoreIndex == null) {
                truthHot = truth.oneHot(numClasses, type);
            } else {
                NDArray valid = truth.neq(ignoreIndex);
                // Ignored labels may lie outside [0, C): map them to 0, then zero their rows.
                NDArray safe = truth.mul(valid.toType(DataType.INT64, false));
                truthHot = safe.oneHot(numClasses, type).mul(valid.toType(type, false).expandDims(1));
            }
            NDArray predicted =
                    predictions.stopGradient().argMax(axis).toType(DataType.INT64, false).flatten();
            NDArray counts = truthHot.transpose().matMul(predicted.oneHot(numClasses, type));
            return counts.toType(DataType.INT64, false).toLongArray();
        }
    }
}
