package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * Step 1 of the losses that take soft targets ({@link TverskyLoss}, and {@link
 * SegmentationCrossEntropyLoss} with soft labels or label smoothing): the labels as per-class
 * targets {@code y [B, C, P]} in the predictions' type, and which pixels count.
 *
 * <p>The labels {@code NDList} holds the targets and, optionally, a keep mask:
 *
 * <ul>
 *   <li>hard labels: class ids of the prediction shape without the class axis (or with it of size
 *       1), integer or float holding integers; {@code y = onehot(id)}, or {@code (1 − ε)·onehot +
 *       ε/C} with label smoothing ε ({@link SoftTargets}); pixels with the ignore index are
 *       dropped;
 *   <li>soft labels: class probabilities of the prediction shape, checked by {@link
 *       SegmentationInputs#checkSoftLabels};
 *   <li>multilabel targets: per-channel values in [0, 1] of the prediction shape, checked by
 *       {@link SegmentationInputs#checkUnitInterval};
 *   <li>a second array, if present, is the keep mask (1 keep, 0 drop; boolean or 0/1) of the hard
 *       label shape. A keep mask and an ignore index together are rejected: the reference applies
 *       only the mask then, which silently counts ignored labels.
 * </ul>
 *
 * <p>Dropped pixels have {@code y = 0}; the caller multiplies its probabilities by {@link #keep}.
 */
final class Targets {

    /** {@code [B, C, P]} in the predictions' type, 0 at dropped pixels. */
    final NDArray values;
    /** {@code [B, 1, P]}, 1 at kept and 0 at dropped pixels, or {@code null} when all count. */
    final NDArray keep;
    /** Whether the targets are soft (given so, or label-smoothed): the soft class rule applies. */
    final boolean soft;

    private Targets(NDArray values, NDArray keep, boolean soft) {
        this.values = values;
        this.keep = keep;
        this.soft = soft;
    }

    /**
     * Checks the label count, types, devices and shapes (not values), also for an empty batch.
     *
     * @param labels the targets, and optionally a keep mask
     * @param predictions {@code [B, C, d1, ...]}
     * @param input the input contract (class axis, soft labels, ignore index)
     * @param what the name of the predictions in messages ("logits", "predictions")
     * @return the resolved class axis
     */
    static int requireShapes(NDList labels, NDArray predictions, InputContract input, String what) {
        InputContract.requireLabelCount(labels);
        NDArray targets = labels.get(0);
        int axis;
        if (input.isSoftLabels() || input.isMultilabel()) {
            SegmentationInputs.requireFloatAndSameDevice(targets, predictions, what);
            Shape shape = predictions.getShape();
            if (shape.dimension() < 2) {
                throw new IllegalArgumentException(
                        what + " must be [B, C, ...] with a batch and a class axis, got shape " + shape);
            }
            axis = SegmentationInputs.resolveClassAxis(input.getClassAxis(), shape);
            SegmentationInputs.requireTargetShape(targets, predictions, axis, targetKind(input));
        } else {
            axis = SegmentationInputs.requireClassAxisShapes(targets, predictions, input.getClassAxis(), what);
        }
        if (labels.size() == 2) {
            if (input.getIgnoreIndex() != null) {
                input.requireKeepMask(labels); // names both
            }
            SegmentationInputs.requireLabelShape(predictions.getShape(), axis, labels.get(1), "keep mask");
        }
        return axis;
    }

    /**
     * Builds the targets of a non-empty batch whose shapes {@link #requireShapes} accepted.
     *
     * @param labels the targets, and optionally a keep mask
     * @param predictions {@code [B, C, d1, ...]}, already widened
     * @param axis the resolved class axis
     * @param input the input contract (soft labels, label smoothing, ignore index)
     * @return the targets
     */
    static Targets of(NDList labels, NDArray predictions, int axis, InputContract input) {
        boolean softLabels = input.isSoftLabels();
        double smoothing = input.getLabelSmoothing();
        Integer ignoreIndex = input.getIgnoreIndex();
        Shape shape = predictions.getShape();
        DataType type = predictions.getDataType();
        NDArray targets = labels.get(0);
        long batch = shape.get(0);
        int numClasses = Math.toIntExact(shape.get(axis));
        NDArray kept =
                labels.size() == 2 ? input.requireKeepMask(labels).reshape(batch, -1) : null;
        NDArray values;
        if (softLabels || input.isMultilabel()) {
            if (softLabels) {
                SegmentationInputs.checkSoftLabels(targets, axis, kept);
            } else {
                SegmentationInputs.checkUnitInterval(targets, targetKind(input));
            }
            values = classFirst(targets, axis).toType(type, false);
        } else {
            NDArray ids = SegmentationInputs.classIdRows(shape, labels.get(0));
            String range = "[0, " + numClasses + ")";
            if (ignoreIndex != null) {
                SegmentationInputs.checkLabelRange(ids, ignoreIndex, 0, numClasses - 1, range);
                kept = ids.neq(ignoreIndex);
            }
            // Dropped pixels take class 0 (their targets are zeroed below): only kept labels count.
            NDArray safe = kept == null ? ids : ids.mul(kept.toType(DataType.INT64, false));
            if (ignoreIndex == null) {
                SegmentationInputs.checkLabelRange(safe, null, 0, numClasses - 1, range);
            }
            values = SoftTargets.smoothedOneHot(safe, numClasses, type, smoothing);
        }
        NDArray keep = null;
        if (kept != null) {
            keep = kept.toType(type, false).reshape(batch, 1, -1);
            values = values.mul(keep);
        }
        return new Targets(values, keep, softLabels || smoothing > 0);
    }

    /**
     * Step 1's probabilities {@code p [B, C, P]}, zero at dropped pixels: the softmax over the
     * class axis of logits, a sigmoid per channel for multilabel targets, or the predictions
     * themselves, checked to lie in [0, 1], with {@code optFromLogits(false)}.
     *
     * @param predictions {@code [B, C, d1, ...]}, already widened
     * @param axis the resolved class axis
     * @param input the input contract (logits or probabilities, multilabel)
     * @return the probabilities, differentiable with respect to the predictions
     */
    NDArray probabilities(NDArray predictions, int axis, InputContract input) {
        NDArray probas;
        if (!input.isFromLogits()) {
            SegmentationInputs.checkProbabilities(predictions);
            probas = predictions;
        } else if (input.isMultilabel()) {
            probas = Activation.sigmoid(predictions);
        } else {
            probas = predictions.softmax(axis);
        }
        NDArray p = classFirst(probas, axis);
        return keep == null ? p : p.mul(keep);
    }

    /** @return what the targets are called in messages */
    private static String targetKind(InputContract input) {
        return input.isMultilabel() ? "multilabel targets" : "soft labels";
    }

    /**
     * Moves the class axis to position 1 and flattens the other axes after it, in their order.
     *
     * @param array {@code [B, ..., C, ...]} with C at {@code axis}
     * @param axis the resolved class axis
     * @return {@code [B, C, P]}
     */
    static NDArray classFirst(NDArray array, int axis) {
        Shape shape = array.getShape();
        long before = 1;
        for (int i = 1; i < axis; i++) {
            before *= shape.get(i);
        }
        long after = shape.size() / (shape.get(0) * shape.get(axis) * before);
        NDArray grouped = array.reshape(shape.get(0), before, shape.get(axis), after);
        NDArray moved = before == 1 ? grouped : grouped.transpose(0, 2, 1, 3);
        return moved.reshape(shape.get(0), shape.get(axis), before * after);
    }
}
