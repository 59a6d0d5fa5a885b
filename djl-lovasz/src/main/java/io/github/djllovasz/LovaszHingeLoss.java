package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * The Lovász hinge loss (Berman et al., CVPR 2018) for binary segmentation: a convex surrogate of
 * the foreground Jaccard loss 1 − IoU, computed from logits.
 *
 * <p>With logits {@code s_i} and labels {@code y_i ∈ {0, 1}}, the hinge errors are {@code m_i = 1
 * − s_i·(2y_i − 1)}. Sorting them in decreasing order as {@code m_(1) ≥ … ≥ m_(P)},
 *
 * <pre>
 *   loss = Σ_k relu(m_(k)) · (J_k − J_{k−1}),   J_k = 1 − |F \ top_k| / |F ∪ top_k|
 * </pre>
 *
 * <p>where {@code F} is the foreground and {@code top_k} the k pixels with the largest errors.
 * With {@code optPerImage(true)} (the default, as in the original) this is computed per image and
 * averaged over images; otherwise all pixels of the batch are pooled.
 *
 * <p>Edge cases: ignored pixels have zero gradient and change nothing; an image (or batch) with no
 * valid pixel gives 0 and, per image, still counts in the mean; all-background gives {@code
 * relu(max_i(1 + s_i))}. Labels other than 0, 1 and the ignore index are rejected (the original
 * silently uses them as signs).
 *
 * <p>An empty batch (B = 0, a device's empty chunk) gives 0 with a zero gradient. In DJL's
 * training loop the loss is computed once per step and chunk ({@link EvaluateOnceLoss}).
 */
public class LovaszHingeLoss extends LovaszLoss {

    /**
     * Creates the loss from a builder.
     *
     * @param builder the settings
     */
    protected LovaszHingeLoss(Builder builder) {
        super(builder.name, builder.options());
    }

    /** @return a builder with the original's defaults (per image, no ignore) */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@inheritDoc}
     *
     * @param labels 0/1 labels, {@code [B, d1, ...]} or {@code [B, 1, d1, ...]}; optionally a keep
     *     mask of the same shape ({@link InputContract})
     * @param predictions a single array of logits, {@code [B, d1, ...]} or {@code [B, 1, d1, ...]}
     * @return the scalar loss, on the predictions' manager
     * @throws IllegalArgumentException for shapes, types or labels that do not fit
     */
    @Override
    protected NDArray computeLoss(NDList labels, NDList predictions) {
        return LovaszKernel.hinge(labels, predictions.singletonOrThrow(), options);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return getName() + "{perImage=" + isPerImage() + ", ignoreIndex=" + getIgnoreIndex() + "}";
    }

    /** Builds a {@link LovaszHingeLoss}; every setting is optional (per image by default). */
    public static final class Builder extends SettingsBuilder.LovaszSettings<Builder> {

        Builder() {
            super("LovaszHingeLoss", true);
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /** @return the loss */
        public LovaszHingeLoss build() {
            return new LovaszHingeLoss(this);
        }
    }
}
