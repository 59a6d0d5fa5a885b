package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Softmax cross-entropy for segmentation with an ignore index, the partner of the Lovász losses
 * in composite recipes:
 *
 * <pre>
 *   loss = − (1 / |V|) · Σ_{i ∈ V} log softmax(s_i)[y_i],   V = pixels whose label is not ignored
 * </pre>
 *
 * <p>(PyTorch's {@code cross_entropy(..., ignore_index=…)} with mean reduction; 0 when nothing is
 * valid). Predictions are logits {@code [B, C, d1, ...]} (class axis configurable), labels class
 * ids of the prediction shape without the class axis or with it of size 1, validated like the
 * Lovász losses. Ignored pixels get exactly zero gradient. Built from {@code logSoftmax} and a
 * pick along the class axis, so it runs on every DJL engine (DJL's own {@code
 * SoftmaxCrossEntropyLoss} has no ignore index). An empty batch (B = 0) gives 0 with a zero
 * gradient. Evaluated once per training step ({@link EvaluateOnceLoss}).
 *
 * <p><b>Soft targets</b>, as {@link TverskyLoss} takes them: with {@link Builder#optSoftLabels
 * optSoftLabels(true)} the labels are class probabilities {@code t_i(c)} of the prediction shape
 * (checked: finite, in [0, 1], summing to 1), and with {@link Builder#optLabelSmoothing
 * optLabelSmoothing(ε)} class ids become {@code t_i(c) = (1 − ε)·[y_i = c] + ε/C} (PyTorch's
 * {@code label_smoothing}); then
 *
 * <pre>
 *   loss = − (1 / |V|) · Σ_{i ∈ V} Σ_c t_i(c) · log softmax(s_i)[c]
 * </pre>
 *
 * <p>A second labels array, if given, is a keep mask (1 keep, 0 drop) of the class-id shape: V is
 * then the kept pixels (not together with an ignore index).
 */
public class SegmentationCrossEntropyLoss extends EvaluateOnceLoss {

    private final Integer ignoreIndex;
    private final int classAxis;
    private final boolean softLabels;
    private final double labelSmoothing;

    /**
     * Creates the loss from a builder.
     *
     * @param builder the settings
     */
    protected SegmentationCrossEntropyLoss(Builder builder) {
        super(builder.name);
        this.ignoreIndex = builder.ignoreIndex;
        this.classAxis = builder.classAxis;
        this.softLabels = builder.softLabels;
        this.labelSmoothing = builder.labelSmoothing;
    }

    /** @return a builder (no ignore index, class axis 1) */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    protected NDArray computeLoss(NDList labels, NDList predictions) {
        NDArray logits = predictions.singletonOrThrow();
        return Scoped.compute(
                () -> {
                    int axis = Targets.requireShapes(
                            labels, logits, classAxis, softLabels, ignoreIndex, "logits");
                    if (SegmentationInputs.isEmptyBatch(logits)) {
                        return SegmentationInputs.zeroLoss(logits);
                    }
                    SegmentationInputs.requireNonEmpty(logits, "logits");
                    if (softLabels || labelSmoothing > 0 || labels.size() == 2) {
                        return softTargets(labels, logits, axis);
                    }
                    return classIds(labels.singletonOrThrow(), logits, axis);
                },
                logits,
                labels);
    }

    /** {@code −Σ t·log p} over the kept pixels, divided by their number. */
    private NDArray softTargets(NDList labels, NDArray logits, int axis) {
        Targets targets = Targets.of(labels, logits, axis, softLabels, labelSmoothing, ignoreIndex);
        NDArray logProbas = Targets.classFirst(logits.logSoftmax(axis), axis);
        NDArray sum = logProbas.mul(targets.values).sum().neg();
        if (targets.keep == null) {
            Shape shape = logits.getShape();
            return sum.div(Numbers.constant(sum, shape.size() / shape.get(axis)));
        }
        return sum.div(targets.keep.sum().maximum(1));
    }

    /** {@code −log p_y} over the pixels that are not ignored, picked without a one-hot. */
    private NDArray classIds(NDArray labels, NDArray logits, int axis) {
        Shape shape = logits.getShape();
        long numClasses = shape.get(axis);
        NDArray ids = SegmentationInputs.labelsForClassAxis(shape, axis, labels);
        SegmentationInputs.checkLabelRange(
                ids, ignoreIndex, 0, numClasses - 1, "[0, " + numClasses + ")");
        NDArray valid =
                ignoreIndex == null
                        ? ids.onesLike().toType(DataType.BOOLEAN, false)
                        : ids.neq(ignoreIndex);
        // Ignored pixels pick class 0 and are then multiplied by 0.
        NDArray safe = ids.mul(valid.toType(DataType.INT64, false));
        NDArray pickShape = safe.reshape(withClassAxisOne(shape, axis));
        NDIndex pick = new NDIndex();
        for (int i = 0; i < axis; i++) {
            pick.addAllDim();
        }
        NDArray picked = logits.logSoftmax(axis).get(pick.addPickDim(pickShape));
        NDArray weights = valid.toType(logits.getDataType(), false).reshape(picked.getShape());
        NDArray count = weights.sum().maximum(1);
        return picked.mul(weights).sum().neg().div(count);
    }

    /** The prediction shape with the class axis of size 1. */
    private static Shape withClassAxisOne(Shape shape, int axis) {
        long[] dims = shape.getShape().clone(); // getShape() is the shape's own array
        dims[axis] = 1;
        return new Shape(dims);
    }

    /** @return the ignored label, or {@code null} */
    public Integer getIgnoreIndex() {
        return ignoreIndex;
    }

    /** @return the class axis of the predictions */
    public int getClassAxis() {
        return classAxis;
    }

    /** @return whether the labels are soft targets */
    public boolean isSoftLabels() {
        return softLabels;
    }

    /** @return the label smoothing ε of class ids (0: none) */
    public double getLabelSmoothing() {
        return labelSmoothing;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return getName() + "{ignoreIndex=" + ignoreIndex + ", classAxis=" + classAxis
                + ", softLabels=" + softLabels + ", labelSmoothing=" + labelSmoothing + "}";
    }

    /** Builds a {@link SegmentationCrossEntropyLoss}; every setting is optional. */
    public static final class Builder extends LossBuilder<Builder> {
        private int classAxis = 1;
        private boolean softLabels;
        private double labelSmoothing;

        Builder() {
            super("SegmentationCrossEntropyLoss");
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the class axis of the predictions (default 1; -1 for channels-last).
         *
         * @param classAxis the axis, negative counting from the end; never the batch axis 0
         * @return this builder
         */
        public Builder optClassAxis(int classAxis) {
            this.classAxis = SegmentationInputs.requireNotBatchAxis(classAxis);
            return this;
        }

        /**
         * Whether the labels are soft targets {@code [B, C, d1, ...]} (true) or class ids (false,
         * the default); see {@link TverskyLoss} for the checks.
         *
         * @param softLabels whether the labels are soft targets
         * @return this builder
         */
        public Builder optSoftLabels(boolean softLabels) {
            this.softLabels = softLabels;
            return this;
        }

        /**
         * Smooths class ids into {@code (1 − ε)·onehot + ε/C} (PyTorch's {@code
         * label_smoothing}); the ignore index still drops pixels. Default 0.
         *
         * @param epsilon ε in [0, 1)
         * @return this builder
         */
        public Builder optLabelSmoothing(double epsilon) {
            this.labelSmoothing = SoftTargets.requireEpsilon(epsilon);
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         * @throws IllegalStateException for soft labels with an ignore index or label smoothing
         */
        public SegmentationCrossEntropyLoss build() {
            requireClassIdOptions(softLabels, ignoreIndex, labelSmoothing);
            return new SegmentationCrossEntropyLoss(this);
        }
    }
}
