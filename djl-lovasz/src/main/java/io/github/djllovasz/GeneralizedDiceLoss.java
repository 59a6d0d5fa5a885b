package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.Objects;

/**
 * The Generalized Dice loss (Sudre, Li, Vercauteren, Ourselin, Cardoso, "Generalised Dice overlap
 * as a deep learning loss function for highly unbalanced segmentations", DLMIA 2017), as MONAI's
 * {@code GeneralizedDiceLoss}: one Dice ratio over all classes, each class weighted by the inverse
 * of its ground-truth volume, so that small structures count as much as large ones.
 *
 * <p>With probabilities {@code p_i(c)} (the softmax of the predictions over the class axis, a
 * sigmoid per channel with {@link OverlapLossBuilder#optMultilabel optMultilabel(true)}, or the
 * predictions themselves with {@code optFromLogits(false)}) and targets {@code y_i(c)} (one-hot
 * class ids, label-smoothed ids, soft labels or multilabel targets), both zero at dropped pixels,
 * per row r (an image, or the whole batch with {@code optPerImage(false)}) and class c:
 *
 * <pre>
 *   I_c = Σ_i p_i(c)·y_i(c),   S_c = Σ_i p_i(c) + Σ_i y_i(c),   G_c = Σ_i y_i(c)
 *   w_c = 1 / G_c²  (SQUARE, the default),   1 / G_c  (SIMPLE),   1  (UNIFORM)
 *   l_r = 1 − (2·Σ_c w_c·I_c + s_nr) / (Σ_c w_c·S_c + s_dr)
 *   loss = mean of l_r over the rows
 * </pre>
 *
 * <p>A class absent from a row (G = 0) has an infinite weight; as in MONAI it takes the largest
 * finite weight of the row instead (0 if every class is absent, which gives {@code l_r = 1 −
 * s_nr/s_dr}). The weights are computed in float32 from G, as MONAI does, and carry no gradient.
 * With {@link OverlapLossBuilder#optIncludeBackground optIncludeBackground(false)} class 0 is left
 * out of every sum (after the softmax over all classes). Per image, an image without a kept pixel
 * takes no part in the mean.
 *
 * <p>Labels follow the {@link InputContract}: class ids (with an ignore index, or a keep mask as
 * second array, and optional label smoothing), soft labels ({@code optSoftLabels(true)}), or
 * multilabel targets ({@code optMultilabel(true)}). An empty batch (B = 0) gives 0 with a zero
 * gradient. Evaluated once per training step ({@link EvaluateOnceLoss}).
 *
 * <p>MONAI's arguments: {@code w_type} is {@link Builder#optWeighting}, {@code batch=True} is
 * {@code optPerImage(false)}, {@code include_background}, {@code smooth_nr} and {@code smooth_dr}
 * are {@link Builder#optSmooth}, {@code softmax=True, to_onehot_y=True} are the defaults (class
 * ids, logits), {@code sigmoid=True} is {@code optMultilabel(true)}; {@code reduction="mean"}.
 *
 * <pre>{@code
 * Loss gdl = GeneralizedDiceLoss.builder().build();                              // w_type square, per image
 * Loss pooled = GeneralizedDiceLoss.builder().optPerImage(false).optIncludeBackground(false).build();
 * Loss multilabel = GeneralizedDiceLoss.builder().optMultilabel(true).build();  // 0/1 targets [B, C, H, W]
 * }</pre>
 */
public class GeneralizedDiceLoss extends EvaluateOnceLoss {

    /** How the class weights follow from the ground-truth volume G of a class (MONAI {@code w_type}). */
    public enum Weighting {
        /** {@code w = 1 / G²} (MONAI's default {@code "square"}, Sudre et al.). */
        SQUARE,
        /** {@code w = 1 / G} ({@code "simple"}). */
        SIMPLE,
        /** {@code w = 1}: the plain Dice of the pooled classes ({@code "uniform"}). */
        UNIFORM
    }

    private final GeneralizedDiceOptions options;

    /**
     * Creates the loss from a builder.
     *
     * @param builder the settings
     */
    protected GeneralizedDiceLoss(Builder builder) {
        super(builder.name());
        this.options = builder.options();
    }

    /** @return a builder with MONAI's defaults (square weights, per image, smoothing 1e-5) */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@inheritDoc}
     *
     * @param labels class ids, soft labels or multilabel targets, and optionally a keep mask
     * @param predictions a single array of logits (or probabilities) {@code [B, C, d1, ...]}
     * @return the scalar loss, on the predictions' manager, in their type (float32 for float16)
     * @throws IllegalArgumentException for shapes, types or labels that do not fit
     */
    @Override
    protected NDArray computeLoss(NDList labels, NDList predictions) {
        return GeneralizedDiceKernel.loss(labels, predictions.singletonOrThrow(), options);
    }

    /** @return the weighting of the classes */
    public Weighting getWeighting() {
        return options.weightType;
    }

    /** @return whether the loss is computed per image and averaged over images */
    public boolean isPerImage() {
        return options.perImage;
    }

    /** @return whether class 0 takes part */
    public boolean isIncludeBackground() {
        return options.includeBackground;
    }

    /** @return what the loss expects of its inputs */
    public InputContract getInputContract() {
        return options.input;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return getName() + "{" + options + "}";
    }

    /** Builds a {@link GeneralizedDiceLoss}; every setting is optional. */
    public static final class Builder extends OverlapLossBuilder<Builder> {

        private final GeneralizedDiceOptions options = new GeneralizedDiceOptions();

        Builder() {
            super("GeneralizedDiceLoss");
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets how the class weights follow from the ground-truth volume (MONAI {@code w_type},
         * default {@link Weighting#SQUARE}).
         *
         * @param weighting the weighting
         * @return this builder
         */
        public Builder optWeighting(Weighting weighting) {
            options.weightType = Objects.requireNonNull(weighting, "weighting");
            return this;
        }

        /**
         * Computes the loss per image and averages over images (true, the default: MONAI's {@code
         * batch=False}), or once over the whole batch (false: {@code batch=True}).
         *
         * @param perImage whether to average per image
         * @return this builder
         */
        public Builder optPerImage(boolean perImage) {
            options.perImage = perImage;
            return this;
        }

        /**
         * Sets the smoothing added to numerator and denominator (MONAI {@code smooth_nr}, {@code
         * smooth_dr}; default 1e-5 each).
         *
         * @param numerator s_nr, finite and ≥ 0
         * @param denominator s_dr, finite and &gt; 0 (0 would make a row without any weight 0/0)
         * @return this builder
         */
        public Builder optSmooth(double numerator, double denominator) {
            if (!(numerator >= 0) || Double.isInfinite(numerator)) {
                throw new IllegalArgumentException("smooth numerator must be finite and >= 0, got " + numerator);
            }
            if (!(denominator > 0) || Double.isInfinite(denominator)) {
                throw new IllegalArgumentException("smooth denominator must be finite and > 0, got " + denominator);
            }
            options.smoothNumerator = numerator;
            options.smoothDenominator = denominator;
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         * @throws IllegalStateException for settings that exclude each other (soft labels or
         *     multilabel targets with an ignore index or label smoothing)
         */
        public GeneralizedDiceLoss build() {
            return new GeneralizedDiceLoss(this);
        }

        GeneralizedDiceOptions options() {
            GeneralizedDiceOptions copy = options.copy();
            copy.input = inputContract();
            copy.includeBackground = includeBackground;
            return copy;
        }
    }
}
