package io.github.djllovasz;

/**
 * The builder settings of the overlap losses ({@link TverskyLoss}, {@link GeneralizedDiceLoss}):
 * besides class ids and soft labels they take multilabel targets, and they can leave the
 * background class out.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class OverlapLossBuilder<B extends OverlapLossBuilder<B>> extends SoftLabelBuilder<B> {

    boolean includeBackground = true;

    OverlapLossBuilder(String defaultName) {
        super(defaultName);
    }

    /**
     * Whether the labels are multilabel targets (SMP's multilabel mode): per-channel values in [0,
     * 1] (0/1, or soft) of the prediction shape, each channel scored with its own sigmoid instead
     * of a softmax over the class axis; C = 1 is a binary model. They take neither soft labels, an
     * ignore index nor label smoothing (an {@code IllegalStateException} when building): drop
     * pixels with a keep mask of the prediction shape without the class axis. Default false.
     *
     * @param multilabel whether the labels are multilabel targets
     * @return this builder
     */
    public B optMultilabel(boolean multilabel) {
        input = input.withMultilabel(multilabel);
        return self();
    }

    /**
     * Whether class (or channel) 0 takes part in the loss (MONAI's {@code include_background},
     * default true). With false the softmax still runs over every class, and class 0 is left out
     * of every mean, as MONAI drops channel 0 after the activation.
     *
     * @param includeBackground whether class 0 counts
     * @return this builder
     */
    public B optIncludeBackground(boolean includeBackground) {
        this.includeBackground = includeBackground;
        return self();
    }
}
