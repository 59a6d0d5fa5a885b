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
 */
public class SegmentationCrossEntropyLoss extends EvaluateOnceLoss {

    private final Integer ignoreIndex;
    private final int classAxis;

    /**
     * Creates the loss from a builder.
     *
     * @param builder the settings
     */
    protected SegmentationCrossEntropyLoss(Builder builder) {
        super(builder.name);
        this.ignoreIndex = builder.ignoreIndex;
        this.classAxis = builder.classAxis;
    }

    /** @return a builder (no ignore index, class axis 1) */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    protected NDArray computeLoss(NDList labels, NDList predictions) {
        return compute(labels.singletonOrThrow(), predictions.singletonOrThrow());
    }

    private NDArray compute(NDArray labels, NDArray logits) {
        return Scoped.compute(
                () -> {
                    int axis =
                            SegmentationInputs.requireClassAxisShapes(labels, logits, classAxis, "logits");
                    if (SegmentationInputs.isEmptyBatch(logits)) {
                        return SegmentationInputs.zeroLoss(logits);
                    }
                    Shape shape = logits.getShape();
                    SegmentationInputs.requireNonEmpty(logits, "logits");
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
                },
                logits,
                labels);
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

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return getName() + "{ignoreIndex=" + ignoreIndex + ", classAxis=" + classAxis + "}";
    }

    /** Builds a {@link SegmentationCrossEntropyLoss}; every setting is optional. */
    public static final class Builder extends LossBuilder<Builder> {
        private int classAxis = 1;

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

        /** @return the loss */
        public SegmentationCrossEntropyLoss build() {
            return new SegmentationCrossEntropyLoss(this);
        }
    }
}
