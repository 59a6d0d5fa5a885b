package io.github.djllovasz;

/**
 * The builder settings of losses that take soft targets: soft labels and label smoothing (parts
 * of the {@link InputContract}).
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class SoftLabelBuilder<B extends SoftLabelBuilder<B>> extends ClassAxisBuilder<B> {

    SoftLabelBuilder(String defaultName) {
        super(defaultName);
    }

    /**
     * Whether the labels are soft targets {@code [B, C, d1, ...]} of the prediction shape (true)
     * or class ids (false, the default); soft labels are checked to be finite, in [0, 1] and to
     * sum to 1 over the class axis at every kept pixel. They take neither an ignore index nor
     * label smoothing (an {@code IllegalStateException} when building): drop pixels with a keep
     * mask instead.
     *
     * @param softLabels whether the labels are soft targets
     * @return this builder
     */
    public B optSoftLabels(boolean softLabels) {
        input = input.withSoftLabels(softLabels);
        return self();
    }

    /**
     * Smooths class ids into {@code (1 − ε)·onehot + ε/C} (PyTorch's {@code label_smoothing});
     * the ignore index still drops pixels. Default 0.
     *
     * @param epsilon ε in [0, 1)
     * @return this builder
     * @throws IllegalArgumentException for ε outside [0, 1)
     */
    public B optLabelSmoothing(double epsilon) {
        input = input.withLabelSmoothing(epsilon);
        return self();
    }
}
