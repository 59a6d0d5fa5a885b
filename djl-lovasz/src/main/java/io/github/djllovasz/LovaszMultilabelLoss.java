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
public class LovaszMultilabelLoss extends EvaluateOnceLoss {

    private final boolean perImage;
    private final Integer ignoreIndex;
    private final boolean sigmoid;

    LovaszMultilabelLoss(Builder builder) {
        super(builder.name);
        this.perImage = builder.perImage;
        this.ignoreIndex = builder.ignoreIndex;
        this.sigmoid = builder.sigmoid;
    }

    /** @return a builder (pooled over the batch, hinge, no ignore) */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Computes the loss of one batch.
     *
     * @param labels a single array of 0/1 labels {@code [B, C, d1, ...]}
     * @param predictions a single array of logits {@code [B, C, d1, ...]}
     * @return the scalar loss
     */
    @Override
    protected NDArray computeLoss(NDList labels, NDList predictions) {
        return compute(labels.singletonOrThrow(), predictions.singletonOrThrow());
    }

    private NDArray compute(NDArray labels, NDArray logits) {
        Shape shape = logits.getShape();
        if (shape.dimension() < 2 || !shape.equals(labels.getShape())) {
            throw new IllegalArgumentException(
                    "multilabel logits and labels must both be [B, C, ...] of the same shape, got "
                            + shape + " and " + labels.getShape());
        }
        long batch = shape.get(0);
        if (batch == 0) {
            return Pipeline.hinge(logits, labels, true, ignoreIndex); // 0, zero gradient
        }
        long channels = shape.get(1);
        long pixels = batch == 0 || channels == 0 ? 0 : shape.size() / (batch * channels);
        return Scoped.compute(
                () -> {
                    // One row per channel (pooled) or per image × channel; each row is one binary
                    // problem and the rows are averaged.
                    NDArray rowLogits;
                    NDArray rowLabels;
                    if (perImage) {
                        rowLogits = logits.reshape(batch * channels, pixels);
                        rowLabels = labels.reshape(batch * channels, pixels);
                    } else {
                        rowLogits = logits.reshape(batch, channels, pixels).swapAxes(0, 1).reshape(channels, -1);
                        rowLabels = labels.reshape(batch, channels, pixels).swapAxes(0, 1).reshape(channels, -1);
                    }
                    if (sigmoid) {
                        return Pipeline.softmax(
                                rowLogits.expandDims(1),
                                rowLabels,
                                1,
                                true,
                                true,
                                ignoreIndex,
                                ClassSelection.ALL,
                                null);
                    }
                    return Pipeline.hinge(rowLogits, rowLabels, true, ignoreIndex);
                },
                logits,
                labels);
    }

    /** @return whether each channel is averaged per image */
    public boolean isPerImage() {
        return perImage;
    }

    /** @return the ignored label, or {@code null} */
    public Integer getIgnoreIndex() {
        return ignoreIndex;
    }

    /** @return whether channels use Lovász-sigmoid instead of the Lovász hinge */
    public boolean isSigmoid() {
        return sigmoid;
    }

    @Override
    public String toString() {
        return getName() + "{perImage=" + perImage + ", ignoreIndex=" + ignoreIndex + ", sigmoid="
                + sigmoid + "}";
    }

    /** Builds a {@link LovaszMultilabelLoss}. */
    public static final class Builder {
        private String name = "LovaszMultilabelLoss";
        private boolean perImage;
        private Integer ignoreIndex;
        private boolean sigmoid;

        Builder() {}

        /**
         * Sets the name shown in training logs.
         *
         * @param name the name
         * @return this builder
         */
        public Builder optName(String name) {
            this.name = java.util.Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Scores each channel per image and averages over images (default false: pooled).
         *
         * @param perImage whether to average per image
         * @return this builder
         */
        public Builder optPerImage(boolean perImage) {
            this.perImage = perImage;
            return this;
        }

        /**
         * Ignores pixels with this label (default: none).
         *
         * @param ignoreIndex the label to ignore
         * @return this builder
         */
        public Builder optIgnoreIndex(int ignoreIndex) {
            this.ignoreIndex = ignoreIndex;
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
