package io.github.djllovasz;

import java.util.Arrays;
import java.util.Objects;

/**
 * What every builder of this library offers: the name shown in training logs and the part of
 * the {@link InputContract} every loss and metric takes, the ignore index. DJL's convention holds
 * throughout: {@code setX} for required settings, {@code optX} for optional ones. {@link
 * ClassAxisBuilder} adds the class axis and logits or probabilities, {@link SoftLabelBuilder} soft
 * labels and label smoothing; each setting is written once, here or there.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class SettingsBuilder<B extends SettingsBuilder<B>> {

    String name;
    InputContract input = InputContract.defaults();

    /**
     * Creates the builder.
     *
     * @param defaultName the default name
     */
    protected SettingsBuilder(String defaultName) {
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
        input = input.withIgnoreIndex(ignoreIndex);
        return self();
    }

    /** @return the name set */
    protected String name() {
        return name;
    }

    /**
     * Returns the input contract as set, checked for settings that exclude each other.
     *
     * @return the contract
     * @throws IllegalStateException for soft labels with an ignore index or label smoothing
     */
    protected InputContract inputContract() {
        return input.requireConsistent();
    }

    /** Takes a whole contract (the composites hand theirs to the cross-entropy). */
    B inputs(InputContract contract) {
        input = Objects.requireNonNull(contract, "contract");
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
                        "class weights must be finite and >= 0, got " + w + " in " + Arrays.toString(weights));
            }
        }
        return weights.clone();
    }

    /**
     * Checks a focal exponent γ: finite and {@code >= 0}.
     *
     * @param gamma γ
     * @return γ
     * @throws IllegalArgumentException naming γ when it is not
     */
    static double requireGamma(double gamma) {
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("gamma must be finite and >= 0, got " + gamma);
        }
        return gamma;
    }

    /**
     * Settings of the binary Lovász losses (hinge, multilabel): the {@link LovaszOptions} they
     * hand to the kernel, and whether the loss is computed per image.
     *
     * @param <B> the concrete builder
     */
    abstract static class LovaszSettings<B extends LovaszSettings<B>> extends SettingsBuilder<B> {

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

        /**
         * Chooses where the errors are sorted (default {@link Kernel#AUTO}: on the host for
         * arrays on the CPU, on the engine elsewhere). Both give the same loss; see {@link Kernel}.
         *
         * @param kernel the kernel
         * @return this builder
         */
        public B optKernel(Kernel kernel) {
            options.kernel = Objects.requireNonNull(kernel, "kernel");
            return self();
        }

        /** @return a copy of the settings with the input contract */
        LovaszOptions options() {
            return options.with(inputContract());
        }
    }
}
