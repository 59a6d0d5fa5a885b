package io.github.djllovasz;

/**
 * The builder settings of multiclass predictions: their class axis, and whether they are logits
 * or probabilities (parts of the {@link InputContract}).
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class ClassAxisBuilder<B extends ClassAxisBuilder<B>> extends SettingsBuilder<B> {

    /**
     * Creates the builder.
     *
     * @param defaultName the default name
     */
    protected ClassAxisBuilder(String defaultName) {
        super(defaultName);
    }

    /**
     * Sets the class axis of the predictions (default 1; -1 for channels-last).
     *
     * @param classAxis the axis, negative counting from the end; never the batch axis 0
     * @return this builder
     * @throws IllegalArgumentException for axis 0
     */
    public B optClassAxis(int classAxis) {
        input = input.withClassAxis(classAxis);
        return self();
    }

    /**
     * Whether predictions are logits (default true: softmax over the class axis inside, or sigmoid
     * for one channel) or probabilities (false: checked to lie in [0, 1]). Unlike DJL's {@code
     * fromLogit = false}, which means log-probabilities, {@code false} here means probabilities.
     *
     * @param fromLogits whether predictions are logits
     * @return this builder
     */
    public B optFromLogits(boolean fromLogits) {
        input = input.withFromLogits(fromLogits);
        return self();
    }
}
