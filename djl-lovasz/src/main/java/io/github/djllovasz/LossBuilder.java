package io.github.djllovasz;

import java.util.Objects;

/**
 * What every loss builder of this library offers: the name shown in training logs and the label
 * whose pixels are ignored. DJL's convention holds throughout: {@code setX} for required
 * settings, {@code optX} for optional ones.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class LossBuilder<B extends LossBuilder<B>> {

    String name;
    Integer ignoreIndex;

    /**
     * Creates the builder.
     *
     * @param defaultName the loss's default name
     */
    LossBuilder(String defaultName) {
        this.name = defaultName;
    }

    /** @return this builder, typed as the concrete builder */
    protected abstract B self();

    /**
     * Sets the name shown in training logs (default: the class name).
     *
     * @param name the name
     * @return this builder
     */
    public B optName(String name) {
        this.name = Objects.requireNonNull(name, "name");
        return self();
    }

    /**
     * Ignores pixels with this label (default: none): they count nowhere and get exactly zero
     * gradient. It may equal a real class id.
     *
     * @param ignoreIndex the label to ignore
     * @return this builder
     */
    public B optIgnoreIndex(int ignoreIndex) {
        this.ignoreIndex = ignoreIndex;
        return self();
    }

    /**
     * Checks class weights: every one finite and {@code >= 0}.
     *
     * @param weights the weights
     * @return a copy
     * @throws IllegalArgumentException naming the weight that is not
     */
    static double[] requireClassWeights(double... weights) {
        Objects.requireNonNull(weights, "weights");
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException(
                        "class weights must be finite and >= 0, got " + w + " in "
                                + java.util.Arrays.toString(weights));
            }
        }
        return weights.clone();
    }

    /**
     * Rejects options of class ids (an ignore index, label smoothing) for soft labels.
     *
     * @param softLabels whether the labels are soft targets
     * @param ignoreIndex the ignore index, or {@code null}
     * @param labelSmoothing ε
     * @throws IllegalStateException if soft labels come with either
     */
    static void requireClassIdOptions(boolean softLabels, Integer ignoreIndex, double labelSmoothing) {
        if (softLabels && (ignoreIndex != null || labelSmoothing > 0)) {
            throw new IllegalStateException(
                    "soft labels take neither an ignore index (" + ignoreIndex + ") nor label"
                            + " smoothing (" + labelSmoothing + "): drop pixels with a keep mask,"
                            + " smooth the targets yourself (SoftTargets)");
        }
    }

    /**
     * Settings of the Lovász losses: the {@link LovaszOptions} they hand to the kernel, and
     * whether the loss is computed per image.
     *
     * @param <B> the concrete builder
     */
    abstract static class LovaszSettings<B extends LovaszSettings<B>> extends LossBuilder<B> {

        final LovaszOptions options = new LovaszOptions();

        LovaszSettings(String defaultName, boolean perImage) {
            super(defaultName);
            options.perImage = perImage;
        }

        /**
         * Computes the loss per image and averages over images.
         *
         * @param perImage whether to average per image
         * @return this builder
         */
        public B optPerImage(boolean perImage) {
            options.perImage = perImage;
            return self();
        }

        /** @return a copy of the settings, the ignore index included */
        LovaszOptions options() {
            LovaszOptions copy = options.copy();
            copy.ignoreIndex = ignoreIndex;
            return copy;
        }
    }
}
