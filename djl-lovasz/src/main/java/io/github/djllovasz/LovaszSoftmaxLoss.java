package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.Arrays;
import java.util.Objects;

/**
 * The Lovász-Softmax loss (Berman et al., CVPR 2018): a convex surrogate of the per-class
 * Jaccard loss 1 − IoU, averaged over classes.
 *
 * <p>With class probabilities {@code p_i(c)} (the softmax of the predictions over the class axis,
 * or the predictions themselves with {@code optFromLogits(false)}) and foreground {@code fg_i(c) =
 * [y_i = c]}, the errors are {@code m_i(c) = |fg_i(c) − p_i(c)|}. Sorting {@code m(c)} in
 * decreasing order as {@code m_(1) ≥ … ≥ m_(P)},
 *
 * <pre>
 *   L_c  = Σ_k m_(k)(c) · (J_k − J_{k−1}),   J_k = 1 − |F_c \ top_k| / |F_c ∪ top_k|
 *   loss = Σ_c w_c·L_c / Σ_c w_c
 * </pre>
 *
 * <p>where {@code top_k} are the k pixels with the largest errors, {@code F_c} the pixels of class
 * c and {@code w_c} the class selection ({@link ClassSelection}) times the optional class weight
 * ({@link Builder#optClassWeights(double...)}). With {@code optPerImage(true)} this
 * is computed for each image and averaged over images. C = 1 is Lovász-sigmoid: the single channel
 * is the foreground probability (sigmoid of the logit with logits) and label 1 is the foreground.
 *
 * <p>Logits or probabilities: by default the predictions are logits and the softmax (sigmoid for
 * C = 1) is taken inside. {@code optFromLogits(false)} means they already are probabilities in
 * [0, 1], the original's input. Note that DJL's {@code SoftmaxCrossEntropyLoss} uses {@code
 * fromLogit = false} for log-probabilities; here {@code false} means probabilities.
 *
 * <p>Edge cases: ignored pixels have zero gradient and change nothing; if nothing is valid, or no
 * selected class is present, the loss is 0 (with {@code perImage}, such an image contributes 0
 * and still counts in the mean, where the original crashes); a single valid pixel gives {@code 1 −
 * p_y} (the original crashes with an ignore index set). Labels outside {@code [0, C)} that are not
 * the ignore index are rejected (the original silently treats them as background).
 *
 * <p>With several devices, DJL's {@code Trainer} evaluates the loss on each device's chunk of
 * {@code ceil(B/k)} images and sums the gradients: pooled, each term is a surrogate of one chunk's
 * IoU; per image, an image in a shorter chunk weighs more. An empty chunk (B = 0) gives 0 with a
 * zero gradient. In DJL's training loop the loss is computed once per step and chunk: the
 * training-loss display reuses the value ({@link EvaluateOnceLoss}).
 *
 * <pre>{@code
 * Loss loss = LovaszSoftmaxLoss.builder().optIgnoreIndex(255).build();  // or SegmentationLosses.lovaszSoftmax()
 * TrainingConfig config = new DefaultTrainingConfig(loss);
 * }</pre>
 */
public class LovaszSoftmaxLoss extends LovaszLoss {

    /**
     * Creates the loss from a builder (a subclass, e.g. one that counts evaluations, calls this).
     *
     * @param builder the settings
     */
    protected LovaszSoftmaxLoss(Builder builder) {
        super(builder.name, builder.options.with(builder.inputContract()));
    }

    /** @return a builder with the original's defaults (PRESENT, not per image, no ignore, logits) */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@inheritDoc}
     *
     * @param labels class ids: the prediction shape without the class axis, or with it of size 1;
     *     integer, or float holding integers; optionally a keep mask ({@link InputContract})
     * @param predictions a single array of logits (or probabilities) {@code [B, C, d1, ...]}
     * @return the scalar loss, on the predictions' manager
     * @throws IllegalArgumentException for shapes, types or labels that do not fit
     */
    @Override
    protected NDArray computeLoss(NDList labels, NDList predictions) {
        return LovaszKernel.softmax(labels, predictions.singletonOrThrow(), options);
    }

    /** @return the class selection */
    public ClassSelection getClasses() {
        return options.classes;
    }

    /** @return a copy of the class weights, or {@code null} when classes are weighted equally */
    public double[] getClassWeights() {
        return options.classWeights == null ? null : options.classWeights.clone();
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return getName() + "{" + options + "}";
    }

    /** Builds a {@link LovaszSoftmaxLoss}; every setting is optional. */
    public static final class Builder extends ClassAxisBuilder<Builder> {

        private final LovaszOptions options = new LovaszOptions();

        Builder() {
            super("LovaszSoftmaxLoss");
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the classes averaged over (default {@link ClassSelection#PRESENT}).
         *
         * @param classes the selection
         * @return this builder
         */
        public Builder optClasses(ClassSelection classes) {
            options.classes = Objects.requireNonNull(classes, "classes");
            return this;
        }

        /**
         * Averages over an explicit list of class ids.
         *
         * @param classIds the ids
         * @return this builder
         */
        public Builder optClasses(int... classIds) {
            return optClasses(ClassSelection.of(classIds));
        }

        /**
         * Computes the loss per image and averages over images (default false: one problem for
         * the whole batch).
         *
         * @param perImage whether to average per image
         * @return this builder
         */
        public Builder optPerImage(boolean perImage) {
            options.perImage = perImage;
            return this;
        }

        /**
         * Weights the classes: the loss becomes {@code Σ_c w_c·L_c / Σ_c w_c} over the classes
         * that take part (per image with {@code optPerImage}), so weights only matter relative to
         * each other. Other libraries normalise differently: mmsegmentation multiplies the
         * per-class losses by the weights and then takes their plain mean; kornia multiplies and
         * divides by C. Default: all 1.
         *
         * @param weights one finite weight ≥ 0 per class (C entries; 1 for C = 1), not all 0
         * @return this builder
         */
        public Builder optClassWeights(double... weights) {
            double[] checked = requireClassWeights(weights);
            if (Arrays.stream(checked).allMatch(w -> w == 0)) {
                throw new IllegalArgumentException(
                        "class weights are all 0: " + Arrays.toString(weights));
            }
            options.classWeights = checked;
            return this;
        }

        /**
         * Chooses where the errors are sorted (default {@link Kernel#AUTO}: on the host for
         * arrays on the CPU, on the engine elsewhere). Both give the same loss; see {@link Kernel}.
         *
         * @param kernel the kernel
         * @return this builder
         */
        public Builder optKernel(Kernel kernel) {
            options.kernel = Objects.requireNonNull(kernel, "kernel");
            return this;
        }

        /** @return the loss */
        public LovaszSoftmaxLoss build() {
            return new LovaszSoftmaxLoss(this);
        }
    }
}
