package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * Multilabel segmentation: C independent binary channels, each scored by its own Lovász hinge (or
 * Lovász-sigmoid) over its own pixels, averaged over channels (catalyst's semantics, not a single
 * hinge pooled over all C × H × W values as in segmentation_models_pytorch).
 *
 * <pre>
 *   loss = (1 / C) · Σ_c L(s_{:, c}, y_{:, c})
 * </pre>
 *
 * <p>where L is {@link LovaszHingeLoss} on the channel's logits (or {@link LovaszSoftmaxLoss} with
 * C = 1, i.e. Lovász-sigmoid, with {@code optSigmoid(true)}), pooled over the batch, or per image and
 * averaged over images with {@code optPerImage(true)}. Every channel counts, also one without
 * positives. Ignored pixels are dropped per channel.
 *
 * <p>An empty batch (B = 0, a device's empty chunk) gives 0 with a zero gradient. In DJL's
 * training loop the loss is computed once per step and chunk ({@link EvaluateOnceLoss}).
 */
public class LovaszMultilabelLoss extends LovaszLoss {

    private final boolean sigmoid;
    /** Each row (channel, or image × channel) its own problem, rows averaged: "per image" over rows. */
    private final LovaszOptions rowsAlone;

    /**
     * Creates the loss from a builder.
     *
     * @param builder the settings
     */
    protected LovaszMultilabelLoss(Builder builder) {
        super(builder.name, builder.options());
        this.sigmoid = builder.sigmoid;
        this.rowsAlone = options.copy();
        rowsAlone.perImage = true;
        rowsAlone.classes = ClassSelection.ALL;
    }

    /** @return a builder (pooled over the batch, hinge, no ignore) */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@inheritDoc}
     *
     * @param labels a single array of 0/1 labels {@code [B, C, d1, ...]}
     * @param predictions a single array of logits {@code [B, C, d1, ...]}
     * @return the scalar loss, on the predictions' manager
     * @throws IllegalArgumentException for shapes, types or labels that do not fit
     */
    @Override
    protected NDArray computeLoss(NDList labels, NDList predictions) {
        NDArray logits = predictions.singletonOrThrow();
        if (labels.size() != 1) {
            throw new IllegalArgumentException("multilabel labels must be one array of 0/1 labels [B, C, ...],"
                    + " got " + labels.size() + " arrays (drop pixels with the ignore index)");
        }
        NDArray targets = labels.get(0);
        Shape shape = logits.getShape();
        if (shape.dimension() < 2 || !shape.equals(targets.getShape())) {
            throw new IllegalArgumentException(
                    "multilabel logits and labels must both be [B, C, ...] of the same shape, got "
                            + shape + " and " + targets.getShape());
        }
        long batch = shape.get(0);
        if (batch == 0) {
            return LovaszKernel.hinge(new NDList(targets), logits, rowsAlone); // 0, zero gradient
        }
        long channels = shape.get(1);
        long pixels = channels == 0 ? 0 : shape.size() / (batch * channels);
        return Scoped.compute(
                () -> {
                    NDArray rowLogits;
                    NDArray rowLabels;
                    if (options.perImage) {
                        rowLogits = logits.reshape(batch * channels, pixels);
                        rowLabels = targets.reshape(batch * channels, pixels);
                    } else {
                        rowLogits = logits.reshape(batch, channels, pixels).swapAxes(0, 1).reshape(channels, -1);
                        rowLabels = targets.reshape(batch, channels, pixels).swapAxes(0, 1).reshape(channels, -1);
                    }
                    if (sigmoid) {
                        return LovaszKernel.softmax(new NDList(rowLabels), rowLogits.expandDims(1), rowsAlone);
                    }
                    return LovaszKernel.hinge(new NDList(rowLabels), rowLogits, rowsAlone);
                },
                logits,
                targets);
    }

    /** @return whether channels use Lovász-sigmoid instead of the Lovász hinge */
    public boolean isSigmoid() {
        return sigmoid;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return getName() + "{perImage=" + isPerImage() + ", ignoreIndex=" + getIgnoreIndex()
                + ", sigmoid=" + sigmoid + "}";
    }

    /** Builds a {@link LovaszMultilabelLoss}; every setting is optional (pooled by default). */
    public static final class Builder extends SettingsBuilder.LovaszSettings<Builder> {
        private boolean sigmoid;

        Builder() {
            super("LovaszMultilabelLoss", false);
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Uses Lovász-sigmoid ({@code |y − σ(s)|} errors) per channel instead of the hinge.
         *
         * @param sigmoid whether to use Lovász-sigmoid
         * @return this builder
         */
        public Builder optSigmoid(boolean sigmoid) {
            this.sigmoid = sigmoid;
            return this;
        }

        /** @return the loss */
        public LovaszMultilabelLoss build() {
            return new LovaszMultilabelLoss(this);
        }
    }
}
