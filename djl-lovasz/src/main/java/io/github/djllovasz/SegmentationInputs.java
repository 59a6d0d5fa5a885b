package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * The input checks behind {@link InputContract}, with messages that name the offending shape or
 * value; each check returns or throws {@link IllegalArgumentException}. A loss of your own reaches
 * them through {@link InputContract#classIds} and its siblings.
 */
final class SegmentationInputs {

    private SegmentationInputs() {}

    /**
     * Requires a floating-point prediction tensor on the labels' device.
     *
     * @param labels the labels
     * @param predictions the predictions
     * @param what the name of the predictions in messages ("logits", "predictions")
     */
    static void requireFloatAndSameDevice(NDArray labels, NDArray predictions, String what) {
        DataType type = predictions.getDataType();
        if (!type.isFloating()) {
            throw new IllegalArgumentException(
                    what + " must be a floating-point type, got " + type + " " + predictions.getShape());
        }
        if (!predictions.getDevice().equals(labels.getDevice())) {
            throw new IllegalArgumentException(
                    what
                            + " are on "
                            + predictions.getDevice()
                            + " but labels are on "
                            + labels.getDevice()
                            + ": put both on the same device");
        }
    }

    /**
     * Whether predictions hold no image: a batch axis of size 0, as DJL's {@code Batch.split}
     * gives the last device when a batch has fewer images than {@code ceil(B/k)·(k−1) + 1}.
     *
     * @param predictions the predictions
     * @return {@code B == 0}
     */
    static boolean isEmptyBatch(NDArray predictions) {
        Shape shape = predictions.getShape();
        return shape.dimension() >= 1 && shape.get(0) == 0;
    }

    /**
     * The loss of an empty batch: 0 in the type the loss would have, with a zero gradient (a sum
     * over no element, so it stays in the autograd graph and {@code backward} works).
     *
     * @param predictions the (empty) predictions, already widened
     * @return a scalar 0
     */
    static NDArray zeroLoss(NDArray predictions) {
        NDArray sum = predictions.sum();
        return sum.mul(EngineQuirks.constant(sum, 0)); // an engine-owned 0 (see EngineQuirks.constant)
    }

    /**
     * Requires at least one pixel (no zero-size axis).
     *
     * @param predictions the predictions
     * @param what their name in the message
     */
    static void requireNonEmpty(NDArray predictions, String what) {
        if (predictions.getShape().size() == 0) {
            throw new IllegalArgumentException(
                    what + " of shape " + predictions.getShape()
                            + " are empty: with images (B > 0), every axis needs at least one"
                            + " element");
        }
    }

    /**
     * Checks predictions with a class axis against their labels: floating point, the labels'
     * device, a batch and a class axis, and labels of the prediction shape without the class axis
     * (or with it of size 1). Label values are not looked at, so this holds for an empty batch too.
     *
     * @param labels class ids
     * @param predictions {@code [B, C, d1, ...]}
     * @param classAxis the class axis, negative counting from the end
     * @param what the name of the predictions in messages ("logits", "predictions")
     * @return the resolved class axis
     */
    static int requireClassAxisShapes(
            NDArray labels, NDArray predictions, int classAxis, String what) {
        requireFloatAndSameDevice(labels, predictions, what);
        Shape shape = predictions.getShape();
        if (shape.dimension() < 2) {
            throw new IllegalArgumentException(
                    what + " must be [B, C, ...] with a batch and a class axis, got shape " + shape);
        }
        int axis = resolveClassAxis(classAxis, shape);
        requireLabelShape(shape, axis, labels);
        return axis;
    }

    /**
     * Rejects the batch axis as a class axis (before the rank is known).
     *
     * @param classAxis the class axis, negative counting from the end
     * @return {@code classAxis}
     * @throws IllegalArgumentException for axis 0
     */
    static int requireNotBatchAxis(int classAxis) {
        if (classAxis == 0) {
            throw new IllegalArgumentException("class axis 0 is the batch axis");
        }
        return classAxis;
    }

    /**
     * Resolves a possibly negative axis.
     *
     * @param axis the axis, negative counting from the end
     * @param shape the shape it refers to
     * @return the axis in {@code [1, rank)}
     */
    static int resolveClassAxis(int axis, Shape shape) {
        int rank = shape.dimension();
        int resolved = axis < 0 ? axis + rank : axis;
        if (resolved < 1 || resolved >= rank) {
            throw new IllegalArgumentException(
                    "class axis " + axis + " is out of range for predictions of shape " + shape
                            + " (axis 0 is the batch axis)");
        }
        return resolved;
    }

    /**
     * Returns labels whose shape {@link #requireClassAxisShapes} accepted (each input is checked
     * once per call, there) as int64 rows {@code [B, P]}; floating labels must hold integers.
     *
     * @param predShape the prediction shape
     * @param labels the labels
     * @return int64 labels {@code [B, P]}
     */
    static NDArray classIdRows(Shape predShape, NDArray labels) {
        return integerLabels(labels).reshape(predShape.get(0), -1);
    }

    /**
     * Checks that labels fit predictions whose class axis is {@code classAxis}: the prediction
     * shape without the class axis, or with the class axis of size 1.
     *
     * @param predShape the prediction shape
     * @param classAxis the resolved class axis
     * @param labels the labels
     * @throws IllegalArgumentException naming both shapes if they do not fit
     */
    static void requireLabelShape(Shape predShape, int classAxis, NDArray labels) {
        requireLabelShape(predShape, classAxis, labels, "labels");
    }

    /**
     * Checks that an array of one value per pixel (labels, a keep mask) fits predictions whose
     * class axis is {@code classAxis}: the prediction shape without the class axis, or with the
     * class axis of size 1.
     *
     * @param predShape the prediction shape
     * @param classAxis the resolved class axis
     * @param labels the per-pixel array
     * @param what its name in the message ("labels", "keep mask")
     * @throws IllegalArgumentException naming both shapes if they do not fit
     */
    static void requireLabelShape(Shape predShape, int classAxis, NDArray labels, String what) {
        Shape expected = withoutAxis(predShape, classAxis);
        Shape shape = labels.getShape();
        boolean matches =
                shape.equals(expected)
                        || (shape.dimension() == predShape.dimension()
                                && shape.get(classAxis) == 1
                                && withoutAxis(shape, classAxis).equals(expected));
        if (!matches) {
            throw new IllegalArgumentException(
                    what
                            + " of shape "
                            + shape
                            + " do not fit predictions of shape "
                            + predShape
                            + " with class axis "
                            + classAxis
                            + ": expected "
                            + expected
                            + " or the same with a size-1 class axis");
        }
    }

    /**
     * Returns labels as int64, rejecting floating labels that do not hold integers.
     *
     * @param labels the labels
     * @return int64 labels of the same shape
     */
    static NDArray integerLabels(NDArray labels) {
        DataType type = labels.getDataType();
        if (type == DataType.INT64) {
            return labels;
        }
        if (type.isFloating()) {
            NDArray notInteger = labels.neq(labels.floor());
            if (notInteger.any().getBoolean()) {
                double bad = labels.booleanMask(notInteger).flatten().toType(DataType.FLOAT64, false).getDouble(0);
                throw new IllegalArgumentException(
                        "labels must hold class ids, but " + type + " labels of shape "
                                + labels.getShape() + " hold the non-integer value " + bad
                                + " (one-hot or probability labels? pass class ids instead)");
            }
        } else if (!type.isInteger() && type != DataType.BOOLEAN) {
            throw new IllegalArgumentException(
                    "labels must be integer or float class ids, got " + type + " " + labels.getShape());
        }
        return labels.toType(DataType.INT64, false);
    }

    /**
     * Requires every label that is not the ignore index to lie in {@code [low, high]}.
     *
     * @param labels int64 labels
     * @param ignoreIndex the ignore index or {@code null}
     * @param low the smallest valid label
     * @param high the largest valid label
     * @param meaning what the valid range means, for the message
     */
    static void checkLabelRange(
            NDArray labels, Integer ignoreIndex, long low, long high, String meaning) {
        NDArray bad = labels.lt(low).logicalOr(labels.gt(high));
        if (ignoreIndex != null) {
            bad = bad.logicalAnd(labels.neq(ignoreIndex));
        }
        if (bad.any().getBoolean()) {
            throw labelOutside(labels.booleanMask(bad).flatten().getLong(0), ignoreIndex, meaning);
        }
    }

    /**
     * The error for a label outside its range (the first one in pixel order).
     *
     * @param value the label
     * @param ignoreIndex the ignore index or {@code null}
     * @param meaning what the valid range means
     * @return the exception to throw
     */
    static IllegalArgumentException labelOutside(long value, Integer ignoreIndex, String meaning) {
        return new IllegalArgumentException(
                "label "
                        + value
                        + " is outside "
                        + meaning
                        + (ignoreIndex == null
                                ? " and no ignore index is set"
                                : " and is not the ignore index " + ignoreIndex));
    }

    /**
     * Requires probabilities in {@code [0, 1]} (for inputs given with {@code optFromLogits(false)}).
     *
     * @param probas the probabilities
     */
    static void checkProbabilities(NDArray probas) {
        NDArray detached = probas.stopGradient();
        float min = detached.min().toType(DataType.FLOAT32, false).getFloat();
        float max = detached.max().toType(DataType.FLOAT32, false).getFloat();
        if (!(min >= 0f && max <= 1f)) {
            throw new IllegalArgumentException(
                    "probabilities must lie in [0, 1] (or use optFromLogits(true)), but predictions of"
                            + " shape " + probas.getShape() + " range over [" + min + ", " + max + "]");
        }
    }

    /** How far the class sum of a soft target may be from 1 ({@link InputContract#SOFT_LABEL_TOLERANCE}). */
    static final double SOFT_LABEL_SUM_TOLERANCE = InputContract.SOFT_LABEL_TOLERANCE;

    /**
     * Checks that soft targets (class probabilities per pixel) or multilabel targets fit the
     * predictions: floating point and the predictions' shape, class axis included. Values are not
     * looked at, so this holds for an empty batch too.
     *
     * @param labels soft or multilabel targets
     * @param predictions the predictions {@code [B, C, d1, ...]}
     * @param classAxis the resolved class axis
     * @param what "soft labels" or "multilabel targets", for the messages
     * @throws IllegalArgumentException naming the type or both shapes
     */
    static void requireTargetShape(NDArray labels, NDArray predictions, int classAxis, String what) {
        Shape shape = labels.getShape();
        if (!labels.getDataType().isFloating()) {
            throw new IllegalArgumentException(
                    what + " must be floating-point values in [0, 1], got " + labels.getDataType() + " "
                            + shape + " (class ids? build the loss without "
                            + (what.startsWith("soft") ? "optSoftLabels(true))" : "optMultilabel(true))"));
        }
        if (!shape.equals(predictions.getShape())) {
            throw new IllegalArgumentException(
                    what + " of shape " + shape + " do not fit predictions of shape "
                            + predictions.getShape() + ": expected the same shape, class axis "
                            + classAxis + " included");
        }
    }

    /**
     * Checks the values of soft targets (class probabilities per pixel): every value finite and in
     * {@code [0, 1]} ({@link #checkUnitInterval}), and at every kept pixel a class sum within
     * {@link #SOFT_LABEL_SUM_TOLERANCE} of 1 (dropped pixels may hold anything finite in [0, 1],
     * e.g. all zeros). Check the shape first ({@link #requireTargetShape}).
     *
     * @param labels soft targets {@code [B, C, d1, ...]}
     * @param classAxis the resolved class axis
     * @param keep which pixels count: boolean with one value per pixel (the label shape without
     *     the class axis, in any shape of that size), or {@code null} for all
     * @throws IllegalArgumentException naming the offending value
     */
    static void checkSoftLabels(NDArray labels, int classAxis, NDArray keep) {
        Shape shape = labels.getShape();
        if (shape.size() == 0) {
            return;
        }
        checkUnitInterval(labels, "soft labels");
        NDArray sums = labels.sum(new int[] {classAxis});
        NDArray bad = sums.sub(1).abs().gt(SOFT_LABEL_SUM_TOLERANCE);
        if (keep != null) {
            bad = bad.logicalAnd(keep.reshape(bad.getShape()));
        }
        if (bad.any().getBoolean()) {
            double sum = sums.booleanMask(bad).flatten().toType(DataType.FLOAT64, false).getDouble(0);
            throw new IllegalArgumentException(
                    "soft labels of shape " + shape + " must sum to 1 over class axis " + classAxis
                            + " (within " + SOFT_LABEL_SUM_TOLERANCE + ") at every kept pixel, but one"
                            + " sums to " + sum);
        }
    }

    /**
     * Requires every value finite and in {@code [0, 1]}: soft labels, multilabel targets.
     *
     * @param labels the targets, not empty
     * @param what "soft labels" or "multilabel targets", for the messages
     * @throws IllegalArgumentException naming the offending value or range
     */
    static void checkUnitInterval(NDArray labels, String what) {
        Shape shape = labels.getShape();
        // x − x is 0 for finite x and NaN for NaN and ±Inf.
        NDArray notFinite = labels.sub(labels).neq(0);
        if (notFinite.any().getBoolean()) {
            throw new IllegalArgumentException(
                    what + " of shape " + shape + " hold the non-finite value "
                            + labels.booleanMask(notFinite).flatten().toType(DataType.FLOAT64, false).getDouble(0));
        }
        float min = labels.min().toType(DataType.FLOAT32, false).getFloat();
        float max = labels.max().toType(DataType.FLOAT32, false).getFloat();
        if (!(min >= 0f && max <= 1f)) {
            throw new IllegalArgumentException(
                    what + " must lie in [0, 1], but " + what + " of shape " + shape
                            + " range over [" + min + ", " + max + "]");
        }
    }

    /**
     * Returns a keep mask (1 = the pixel counts) as a boolean array, rejecting values other than
     * 0 and 1.
     *
     * @param keep the mask: boolean, or any numeric type holding 0 and 1
     * @param labels the labels it goes with (for the device check)
     * @return the mask as boolean, same shape
     * @throws IllegalArgumentException naming the device or the offending value
     */
    static NDArray keepMask(NDArray keep, NDArray labels) {
        if (!keep.getDevice().equals(labels.getDevice())) {
            throw new IllegalArgumentException(
                    "keep mask is on " + keep.getDevice() + " but labels are on " + labels.getDevice()
                            + ": put both on the same device");
        }
        if (keep.getDataType() == DataType.BOOLEAN) {
            return keep;
        }
        NDArray notZeroOne = keep.neq(0).logicalAnd(keep.neq(1));
        if (keep.size() > 0 && notZeroOne.any().getBoolean()) {
            throw new IllegalArgumentException(
                    "keep mask of shape " + keep.getShape() + " must hold 0 (drop) and 1 (keep), but"
                            + " holds " + keep.booleanMask(notZeroOne).flatten().toType(DataType.FLOAT64, false).getDouble(0));
        }
        return keep.neq(0);
    }

    /**
     * Returns the shape without one axis.
     *
     * @param shape the shape
     * @param axis the axis to drop
     * @return the shorter shape
     */
    static Shape withoutAxis(Shape shape, int axis) {
        long[] dims = new long[shape.dimension() - 1];
        for (int i = 0, j = 0; i < shape.dimension(); i++) {
            if (i != axis) {
                dims[j++] = shape.get(i);
            }
        }
        return new Shape(dims);
    }

    /**
     * Checks a binary problem's types, devices and shapes (not label values), also for an empty
     * batch: logits and labels {@code [B, d1, ...]} of the same shape, or equal once a size-1 axis
     * 1 is dropped from either.
     *
     * @param labels 0/1 labels
     * @param logits the logits
     * @param what the name of the logits in messages
     */
    static void requireBinaryShapes(NDArray labels, NDArray logits, String what) {
        requireFloatAndSameDevice(labels, logits, what);
        Shape shape = logits.getShape();
        Shape labelShape = labels.getShape();
        if (shape.dimension() < 1 || !binaryShapesMatch(shape, labelShape)) {
            throw new IllegalArgumentException(
                    "labels of shape "
                            + labelShape
                            + " do not fit "
                            + what
                            + " of shape "
                            + shape
                            + ": expected [B, ...] for both, optionally with a size-1 axis 1 on"
                            + " either");
        }
    }

    /** Same shape, or equal once a size-1 axis 1 is dropped from the longer one. */
    private static boolean binaryShapesMatch(Shape a, Shape b) {
        if (a.equals(b)) {
            return true;
        }
        if (a.dimension() == b.dimension() + 1 && a.dimension() >= 2 && a.get(1) == 1) {
            return withoutAxis(a, 1).equals(b);
        }
        if (b.dimension() == a.dimension() + 1 && b.dimension() >= 2 && b.get(1) == 1) {
            return withoutAxis(b, 1).equals(a);
        }
        return false;
    }

    /**
     * Requires one class weight per class of the predictions, for the losses that take class
     * weights checked when they are evaluated.
     *
     * @param weights the weights, or {@code null} for none
     * @param shape the predictions' shape
     * @param axis the resolved class axis
     * @throws IllegalArgumentException naming both counts and the shape
     */
    static void requireClassWeightCount(double[] weights, Shape shape, int axis) {
        if (weights != null && weights.length != shape.get(axis)) {
            throw new IllegalArgumentException(
                    "classWeights has " + weights.length + " entries " + Arrays.toString(weights)
                            + ", but predictions of shape " + shape + " have C = " + shape.get(axis)
                            + " classes along axis " + axis);
        }
    }

    /**
     * Class weights as an engine array {@code [C]} in the type of {@code like}, on its manager (no
     * gradient).
     *
     * @param like the array they will be combined with
     * @param weights the weights, checked by {@link #requireClassWeightCount}
     * @return the weights
     */
    static NDArray classWeights(NDArray like, double[] weights) {
        return EngineQuirks.copyDoubles(like.getManager(), weights).toType(like.getDataType(), false);
    }
}
