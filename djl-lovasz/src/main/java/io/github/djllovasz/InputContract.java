package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * What a loss or metric of this library expects of its inputs, in one immutable value: every
 * loss, every composite and {@link io.github.djllovasz.metric.MeanIoU} holds one, set by the
 * shared builder setters and validated here.
 *
 * <ul>
 *   <li><b>class axis</b> of the predictions (default 1; negative counts from the end; never the
 *       batch axis 0);
 *   <li><b>logits or probabilities</b> (default logits: softmax, or sigmoid for one channel,
 *       inside; probabilities are checked to lie in [0, 1]);
 *   <li><b>hard or soft labels</b>: class ids of the prediction shape without the class axis (or
 *       with it of size 1), integer or float holding integers; or class probabilities of the
 *       prediction shape ({@link #isSoftLabels()});
 *   <li><b>multilabel targets</b> ({@link #isMultilabel()}): per-channel targets in [0, 1] (0/1, or
 *       soft) of the prediction shape, each channel its own binary problem: a sigmoid per channel
 *       instead of the softmax over the class axis (SMP's multilabel mode);
 *   <li><b>label smoothing</b> ε of class ids, {@code (1 − ε)·onehot + ε/C};
 *   <li><b>dropped pixels</b>: the <b>ignore index</b> of class ids, or a <b>keep mask</b>, the
 *       optional second labels array (1 keep, 0 drop; boolean or 0/1) of the class-id shape.
 *       Dropped pixels count nowhere and get exactly zero gradient.
 * </ul>
 *
 * <p>The rules, the same for every loss and for {@code MeanIoU}: at most two label arrays; a keep
 * mask holds only 0 and 1, has the class-id shape, lies on the labels' device and never comes
 * with an ignore index (fold the ignored pixels into the mask); soft labels take neither an
 * ignore index nor label smoothing, and neither do multilabel targets, which are not soft labels
 * either; kept class ids lie in {@code [0, C)}. Each violation is an
 * {@code IllegalArgumentException} naming the offending shape or value (an {@code
 * IllegalStateException} when a builder combines settings that exclude each other).
 */
public final class InputContract {

    /**
     * How far the class sum of a soft target may be from 1: {@value}. Targets computed in float32
     * (label smoothing, a teacher's softmax) are off by about 1e-7.
     */
    public static final double SOFT_LABEL_TOLERANCE = 1e-4;

    /** The label {@link #maskedClassIds} gives a keep mask's dropped pixels: never a class id. */
    public static final int DROPPED = -1;

    private static final InputContract DEFAULTS = new InputContract(1, null, true, false, 0, false);

    private final int classAxis;
    private final Integer ignoreIndex;
    private final boolean fromLogits;
    private final boolean softLabels;
    private final double labelSmoothing;
    private final boolean multilabel;

    private InputContract(
            int classAxis,
            Integer ignoreIndex,
            boolean fromLogits,
            boolean softLabels,
            double labelSmoothing,
            boolean multilabel) {
        this.classAxis = classAxis;
        this.ignoreIndex = ignoreIndex;
        this.fromLogits = fromLogits;
        this.softLabels = softLabels;
        this.labelSmoothing = labelSmoothing;
        this.multilabel = multilabel;
    }

    /** @return class axis 1, no ignore index, logits, class ids, no label smoothing */
    public static InputContract defaults() {
        return DEFAULTS;
    }

    /**
     * Returns this contract with another class axis.
     *
     * @param axis the axis, negative counting from the end
     * @return the new contract
     * @throws IllegalArgumentException for axis 0, the batch axis
     */
    public InputContract withClassAxis(int axis) {
        return new InputContract(
                SegmentationInputs.requireNotBatchAxis(axis), ignoreIndex, fromLogits, softLabels, labelSmoothing,
                multilabel);
    }

    /**
     * Returns this contract with an ignore index.
     *
     * @param index the label whose pixels are dropped, or {@code null} for none
     * @return the new contract
     */
    public InputContract withIgnoreIndex(Integer index) {
        return new InputContract(classAxis, index, fromLogits, softLabels, labelSmoothing, multilabel);
    }

    /**
     * Returns this contract with logits (true) or probabilities (false).
     *
     * @param logits whether predictions are logits
     * @return the new contract
     */
    public InputContract withFromLogits(boolean logits) {
        return new InputContract(classAxis, ignoreIndex, logits, softLabels, labelSmoothing, multilabel);
    }

    /**
     * Returns this contract with soft labels (true) or class ids (false).
     *
     * @param soft whether labels are class probabilities
     * @return the new contract
     */
    public InputContract withSoftLabels(boolean soft) {
        return new InputContract(classAxis, ignoreIndex, fromLogits, soft, labelSmoothing, multilabel);
    }

    /**
     * Returns this contract with label smoothing.
     *
     * @param epsilon ε in [0, 1)
     * @return the new contract
     * @throws IllegalArgumentException for ε outside [0, 1)
     */
    public InputContract withLabelSmoothing(double epsilon) {
        return new InputContract(
                classAxis, ignoreIndex, fromLogits, softLabels, SoftTargets.requireEpsilon(epsilon), multilabel);
    }

    /**
     * Returns this contract with multilabel targets (true) or not (false): per-channel targets in
     * [0, 1] of the prediction shape, a sigmoid per channel.
     *
     * @param multi whether the labels are multilabel targets
     * @return the new contract
     */
    public InputContract withMultilabel(boolean multi) {
        return new InputContract(classAxis, ignoreIndex, fromLogits, softLabels, labelSmoothing, multi);
    }

    /**
     * Checks the settings against each other; the builders call it when they build.
     *
     * @return this contract
     * @throws IllegalStateException for soft labels with an ignore index or label smoothing, and
     *     for multilabel targets with soft labels, an ignore index or label smoothing
     */
    public InputContract requireConsistent() {
        if (multilabel && (softLabels || ignoreIndex != null || labelSmoothing > 0)) {
            throw new IllegalStateException(
                    "multilabel targets take neither soft labels (" + softLabels + "), an ignore index ("
                            + ignoreIndex + ") nor label smoothing (" + labelSmoothing + "): they are"
                            + " per-channel targets in [0, 1] already; drop pixels with a keep mask");
        }
        if (softLabels && (ignoreIndex != null || labelSmoothing > 0)) {
            throw new IllegalStateException(
                    "soft labels take neither an ignore index (" + ignoreIndex + ") nor label"
                            + " smoothing (" + labelSmoothing + "): drop pixels with a keep mask,"
                            + " smooth the targets yourself (SoftTargets)");
        }
        return this;
    }

    /** @return the class axis of the predictions, negative counting from the end */
    public int getClassAxis() {
        return classAxis;
    }

    /** @return the label whose pixels are dropped, or {@code null} */
    public Integer getIgnoreIndex() {
        return ignoreIndex;
    }

    /** @return whether predictions are logits (false: probabilities) */
    public boolean isFromLogits() {
        return fromLogits;
    }

    /** @return whether labels are class probabilities of the prediction shape */
    public boolean isSoftLabels() {
        return softLabels;
    }

    /**
     * @return whether labels are multilabel targets: per-channel values in [0, 1] of the prediction
     *     shape, scored with a sigmoid per channel
     */
    public boolean isMultilabel() {
        return multilabel;
    }

    /** @return the label smoothing ε of class ids (0: none) */
    public double getLabelSmoothing() {
        return labelSmoothing;
    }

    /**
     * The checks every loss makes, for a loss of your own (labels first, as in DJL): checks that
     * class ids fit multiclass predictions (type, device, shape: the prediction shape without the
     * class axis, or with it of size 1) and that every id that is not the ignore index lies in
     * {@code [0, C)}, C the size of the class axis; with B &gt; 0 no axis may be empty.
     *
     * <pre>{@code
     * NDArray ids = contract.classIds(labels.head(), predictions.head());  // IAE naming what is wrong
     * }</pre>
     *
     * @param labels class ids, integer or float holding integers
     * @param predictions {@code [B, C, d1, ...]} with C along {@link #getClassAxis()}
     * @return int64 class ids {@code [B, P]}, P the pixels of one image (for B = 0 the labels as
     *     int64, unchecked beyond their shape)
     * @throws IllegalArgumentException naming the offending type, device, shape or label
     */
    public NDArray classIds(NDArray labels, NDArray predictions) {
        int axis = SegmentationInputs.requireClassAxisShapes(labels, predictions, classAxis, "predictions");
        Shape shape = predictions.getShape();
        if (SegmentationInputs.isEmptyBatch(predictions)) {
            return SegmentationInputs.integerLabels(labels); // B = 0: shapes checked, nothing to count
        }
        SegmentationInputs.requireNonEmpty(predictions, "predictions");
        NDArray ids = SegmentationInputs.classIdRows(shape, labels);
        long c = shape.get(axis);
        SegmentationInputs.checkLabelRange(ids, ignoreIndex, 0, c - 1, "[0, " + c + ")");
        return ids;
    }

    /**
     * {@link #classIds} for a binary model: labels 0, 1 (or the ignore index), of any shape the
     * caller has matched to the predictions'; predictions floating point on the labels' device.
     *
     * @param labels 0/1 labels
     * @param predictions one score per pixel
     * @return int64 labels of the labels' shape
     * @throws IllegalArgumentException naming the offending type, device or label
     */
    public NDArray binaryLabels(NDArray labels, NDArray predictions) {
        SegmentationInputs.requireFloatAndSameDevice(labels, predictions, "predictions");
        if (!SegmentationInputs.isEmptyBatch(predictions)) {
            SegmentationInputs.requireNonEmpty(predictions, "predictions");
        }
        NDArray ids = SegmentationInputs.integerLabels(labels);
        SegmentationInputs.checkLabelRange(ids, ignoreIndex, 0, 1, "{0, 1} (binary: 0 background, 1 foreground)");
        return ids;
    }

    /**
     * Requires probabilities in [0, 1], for predictions given with {@code optFromLogits(false)}.
     *
     * @param predictions the probabilities
     * @throws IllegalArgumentException naming the range found
     */
    public void requireProbabilities(NDArray predictions) {
        SegmentationInputs.checkProbabilities(predictions);
    }

    /**
     * Class ids with a keep mask applied: checks the mask (size, device, values 0/1, no ignore
     * index beside it) and returns the class ids with every dropped pixel set to {@link
     * #DROPPED}, to be counted under {@link #maskedAsIgnored()}. Class ids themselves are checked
     * by the caller, against C.
     *
     * @param labels {@code (class ids, keep mask)}
     * @return int64 class ids of the labels' shape (a new array on the labels' manager)
     * @throws IllegalArgumentException naming the offending count, shape, device or value
     */
    public NDArray maskedClassIds(NDList labels) {
        if (labels.size() != 2) {
            requireLabelCount(labels);
            throw new IllegalArgumentException("a keep mask is the second of two label arrays, got one");
        }
        NDArray ids = SegmentationInputs.integerLabels(labels.get(0));
        NDArray keep = requireKeepMask(labels).reshape(ids.getShape());
        NDArray fill = ids.getManager().full(ids.getShape(), DROPPED, DataType.INT64);
        return NDArrays.where(keep, ids, fill);
    }

    /**
     * This contract with {@link #DROPPED} as the ignore index: how {@link #maskedClassIds} are
     * counted (a keep mask never comes with an ignore index of its own).
     *
     * @return the contract
     */
    public InputContract maskedAsIgnored() {
        return withIgnoreIndex(DROPPED);
    }

    /**
     * Checks a keep mask's device, size (the class ids'; for soft labels the caller checks the
     * shape against the predictions) and values, and that no ignore index comes with it.
     *
     * @param labels {@code (class ids, soft labels or multilabel targets, keep mask)}
     * @return the mask as a boolean array of the class-id shape
     */
    NDArray requireKeepMask(NDList labels) {
        if (ignoreIndex != null) {
            throw new IllegalArgumentException(
                    "a keep mask and the ignore index " + ignoreIndex + " were both given: use one"
                            + " (fold the ignored pixels into the mask, keep = mask AND label != "
                            + ignoreIndex + ")");
        }
        NDArray targets = labels.get(0);
        NDArray keep = labels.get(1);
        if (!softLabels && !multilabel && keep.getShape().size() != targets.getShape().size()) {
            throw new IllegalArgumentException("keep mask of shape " + keep.getShape()
                    + " does not match labels of shape " + targets.getShape());
        }
        return SegmentationInputs.keepMask(keep, targets);
    }

    /** Rejects label lists other than one array, or two (targets, keep mask). */
    static void requireLabelCount(NDList labels) {
        if (labels.isEmpty() || labels.size() > 2) {
            throw new IllegalArgumentException(
                    "labels must be one array (targets) or two (targets, keep mask), got "
                            + labels.size() + " arrays");
        }
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof InputContract)) {
            return false;
        }
        InputContract c = (InputContract) o;
        return classAxis == c.classAxis && Objects.equals(ignoreIndex, c.ignoreIndex)
                && fromLogits == c.fromLogits && softLabels == c.softLabels
                && labelSmoothing == c.labelSmoothing && multilabel == c.multilabel;
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return Objects.hash(classAxis, ignoreIndex, fromLogits, softLabels, labelSmoothing, multilabel);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "classAxis=" + classAxis + ", ignoreIndex=" + ignoreIndex + ", fromLogits=" + fromLogits
                + ", softLabels=" + softLabels + ", labelSmoothing=" + labelSmoothing
                + (multilabel ? ", multilabel=true" : "");
    }
}
