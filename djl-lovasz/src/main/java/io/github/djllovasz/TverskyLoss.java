package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.Objects;

/**
 * The Jaccard metric loss (JML), the Dice semimetric loss (DML) and the Tversky loss, one
 * implementation with presets (Wang and Blaschko, "Jaccard Metric Losses: Optimizing the Jaccard
 * Index with Soft Labels", NeurIPS 2023; "Dice Semimetric Losses: Optimizing the Dice Score with
 * Soft Labels", MICCAI 2023). Unlike the Lovász losses they accept soft targets: label smoothing,
 * knowledge distillation, several annotators.
 *
 * <p>With class probabilities {@code p_i(c)} (the softmax of the predictions over the class axis,
 * or the predictions themselves with {@code optFromLogits(false)}) and targets {@code y_i(c)}
 * (one-hot class ids, label-smoothed ids or soft labels), both zero at dropped pixels, the
 * cardinalities of class c over the pixels i of an image (or of the batch) with the norm q are
 *
 * <pre>
 *   A = Σ_i |p_i|^q,   Y = Σ_i |y_i|^q,   D = Σ_i |p_i − y_i|^q
 *   tp = (A + Y − D) / 2,   fp = A − tp,   fn = Y − tp
 *   T_c = (tp + s) / (tp + α·fp + β·fn + s)                     the Tversky index
 *   l_c = w_c · (1 − T_c)^γ        or   w_c · (−log T_c)^γ     with optLogLoss(true)
 * </pre>
 *
 * <p>For q = 1 and 0/1 values, tp, fp and fn are the counts of true positives, false positives
 * and false negatives, so α = β = 1 gives 1 − IoU (Jaccard, {@link #jaccard()}) and α = β = ½
 * gives 1 − Dice ({@link #dice()}); for soft values D is the L1 distance that makes the Jaccard
 * loss a metric: it is 0 exactly when {@code p = y}.
 *
 * <p><b>Active classes.</b> {@link ClassSelection#ALL} counts every class; {@link
 * ClassSelection#PRESENT} those whose largest kept target is strictly above the threshold (default
 * 0.01; a target of float32 0.01 is not above it). The setting differs for hard labels ({@link
 * Builder#optClasses}, default PRESENT) and soft targets ({@link Builder#optSoftClasses}, default
 * ALL). With label smoothing ε, every class of a smoothed pixel holds at least ε/C: above the
 * threshold when ε/C &gt; 0.01.
 *
 * <p><b>Reductions</b> ({@link Builder#optReductionWeights}): with {@code a_{b,c}} whether class
 * c is active,
 *
 * <pre>
 *   L_D = mean over the classes active in the batch of l_c(tp, fp, fn summed over the batch)   (mIoU^D)
 *   L_I = mean over images with an active class of  Σ_c a_{b,c}·l_{b,c} / Σ_c a_{b,c}           (mIoU^I)
 *   L_C = mean over classes active in an image of   Σ_b a_{b,c}·l_{b,c} / Σ_b a_{b,c}           (mIoU^C)
 *   loss = w_D·L_D + w_I·L_I + w_C·L_C                 (default w_D = 1, w_I = w_C = 0)
 * </pre>
 *
 * <p><b>Multilabel and background</b> (MONAI's {@code DiceLoss(sigmoid=True)}, SMP's multilabel
 * mode): with {@link OverlapLossBuilder#optMultilabel optMultilabel(true)} the labels are
 * per-channel targets in [0, 1] of the prediction shape and {@code p} is a sigmoid per channel, so
 * every channel is its own binary problem (C = 1 allowed). {@link
 * OverlapLossBuilder#optIncludeBackground optIncludeBackground(false)} leaves class 0 out of every
 * mean, after the softmax over all classes, as MONAI's {@code include_background=False}. MONAI's
 * {@code DiceLoss} with {@code smooth_nr = smooth_dr = σ} is {@code dice().optSmooth(σ/2)
 * .optClasses(ALL)}, with {@code optPerImage(!batch)}.
 *
 * <p>A term with nothing active is 0 with a zero gradient. Class weights are not normalised: the
 * means divide by counts, not by {@code Σ w_c} (as in the reference, unlike {@link
 * LovaszSoftmaxLoss}'s weighted mean).
 *
 * <p><b>Labels</b> ({@code evaluate(labels, predictions)}): the first array holds class ids (the
 * prediction shape without the class axis, or with it of size 1; integer, or float holding
 * integers), or with {@link Builder#optSoftLabels optSoftLabels(true)} soft targets of the
 * prediction shape: finite, in [0, 1], summing to 1 over the class axis within {@value
 * SegmentationInputs#SOFT_LABEL_SUM_TOLERANCE} at every kept pixel. An optional second array is a
 * keep mask (1 keep, 0 drop; boolean or 0/1) of the class-id shape. Class ids outside {@code [0,
 * C)} that are not ignored are rejected (the reference clamps them), and so is C = 1 with a softmax (a softmax
 * over one class is constant: use multilabel targets, {@link LovaszHingeLoss} or Lovász-sigmoid). The ignore index
 * applies to class ids only; a keep mask together with an ignore index is rejected (the reference
 * then silently counts the ignored labels). Dropped pixels get exactly zero gradient. An empty batch
 * (B = 0) gives 0 with a zero gradient. Evaluated once per training step ({@link
 * EvaluateOnceLoss}).
 *
 * <pre>{@code
 * Loss jml = TverskyLoss.jaccard().build();                                    // or SegmentationLosses.jaccard()
 * Loss dml = TverskyLoss.dice().optSoftLabels(true).build();                   // soft targets [B, C, H, W]
 * Loss tversky = TverskyLoss.tversky(0.3, 0.7).build();
 * Loss smoothed = TverskyLoss.jaccard().optLabelSmoothing(0.1).optIgnoreIndex(255).build();
 * Loss multilabel = TverskyLoss.dice().optMultilabel(true).build();           // 0/1 targets [B, C, H, W]
 * NDArray loss = jml.evaluate(new NDList(classIds, keepMask), new NDList(logits));
 * }</pre>
 */
public class TverskyLoss extends EvaluateOnceLoss {

    private final TverskyOptions options;

    /**
     * Creates the loss from a builder.
     *
     * @param builder the settings
     */
    protected TverskyLoss(Builder builder) {
        super(builder.name);
        this.options = builder.options();
    }

    /**
     * A builder for the Tversky loss with weights α of the false positives and β of the false
     * negatives (Jaccard: 1, 1; Dice: ½, ½), and the reference's other defaults, named
     * "TverskyLoss".
     *
     * @param alpha α, finite and ≥ 0
     * @param beta β, finite and ≥ 0
     * @return the builder
     */
    public static Builder tversky(double alpha, double beta) {
        return new Builder("TverskyLoss", 1, 1).optAlpha(alpha).optBeta(beta);
    }

    /** @return a builder for the Jaccard metric loss (α = β = 1), named "JaccardLoss" */
    public static Builder jaccard() {
        return new Builder("JaccardLoss", 1, 1);
    }

    /** @return a builder for the Dice semimetric loss (α = β = ½), named "DiceLoss" */
    public static Builder dice() {
        return new Builder("DiceLoss", 0.5, 0.5);
    }

    /**
     * {@inheritDoc}
     *
     * @param labels class ids or soft targets, and optionally a keep mask (see the class
     *     documentation)
     * @param predictions a single array of logits (or probabilities) {@code [B, C, d1, ...]}
     * @return the scalar loss, on the predictions' manager, in their type (float32 for float16)
     * @throws IllegalArgumentException for shapes, types or labels that do not fit
     */
    @Override
    protected NDArray computeLoss(NDList labels, NDList predictions) {
        return TverskyKernel.loss(labels, predictions.singletonOrThrow(), options);
    }

    /** @return the weight α of the false positives */
    public double getAlpha() {
        return options.alpha;
    }

    /** @return the weight β of the false negatives */
    public double getBeta() {
        return options.beta;
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

    /** Builds a {@link TverskyLoss}; every setting is optional. */
    public static final class Builder extends OverlapLossBuilder<Builder> {

        private final TverskyOptions options = new TverskyOptions();

        Builder(String name, double alpha, double beta) {
            super(name);
            options.alpha = alpha;
            options.beta = beta;
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the weight α of the false positives (reference {@code alpha}; Jaccard 1, Dice ½).
         *
         * @param alpha α ≥ 0, finite
         * @return this builder
         */
        public Builder optAlpha(double alpha) {
            options.alpha = nonNegative(alpha, "alpha");
            return this;
        }

        /**
         * Sets the weight β of the false negatives (reference {@code beta}; Jaccard 1, Dice ½).
         *
         * @param beta β ≥ 0, finite
         * @return this builder
         */
        public Builder optBeta(double beta) {
            options.beta = nonNegative(beta, "beta");
            return this;
        }

        /**
         * Sets the focal power γ: each class loss becomes {@code l^γ} (reference {@code gamma},
         * default 1).
         *
         * @param gamma γ ≥ 1 (the reference ignores γ &lt; 1; here it is rejected)
         * @return this builder
         */
        public Builder optGamma(double gamma) {
            if (!(gamma >= 1) || Double.isInfinite(gamma)) {
                throw new IllegalArgumentException("gamma must be finite and >= 1, got " + gamma);
            }
            options.gamma = gamma;
            return this;
        }

        /**
         * Sets the smoothing s added to numerator and denominator of T (reference {@code smooth},
         * default 1e-3). With s = 0 a class that has no kept pixel and no probability is 0/0.
         *
         * @param smooth s ≥ 0, finite
         * @return this builder
         */
        public Builder optSmooth(double smooth) {
            options.smooth = nonNegative(smooth, "smooth");
            return this;
        }

        /**
         * Sets the norm q of the cardinalities {@code Σ|x|^q} (reference {@code norm}, default
         * 1). Only q = 1 makes tp, fp, fn counts at 0/1 values of any kind.
         *
         * @param q q ≥ 1, finite
         * @return this builder
         */
        public Builder optNorm(double q) {
            if (!(q >= 1) || Double.isInfinite(q)) {
                throw new IllegalArgumentException("norm must be finite and >= 1, got " + q);
            }
            options.norm = q;
            return this;
        }

        /**
         * Uses {@code −log T} instead of {@code 1 − T} (reference {@code log_loss}, default false).
         *
         * @param logLoss whether to take the log-loss
         * @return this builder
         */
        public Builder optLogLoss(boolean logLoss) {
            options.logLoss = logLoss;
            return this;
        }

        /**
         * Multiplies each class loss by a weight, {@code w_c·l_c} (reference {@code
         * class_weights}). The means still divide by the number of active classes or images, not
         * by {@code Σ w_c}. Default: all 1.
         *
         * @param weights one finite weight ≥ 0 per class (C entries)
         * @return this builder
         */
        public Builder optClassWeights(double... weights) {
            options.classWeights = requireClassWeights(weights);
            return this;
        }

        /**
         * Sets the active classes for class ids (reference {@code active_classes_mode_hard},
         * default {@link ClassSelection#PRESENT}).
         *
         * @param classes {@link ClassSelection#PRESENT} or {@link ClassSelection#ALL}
         * @return this builder
         */
        public Builder optClasses(ClassSelection classes) {
            options.hardClasses = presentOrAll(classes);
            return this;
        }

        /**
         * Sets the active classes for soft targets, given or label-smoothed (reference {@code
         * active_classes_mode_soft}, default {@link ClassSelection#ALL}).
         *
         * @param classes {@link ClassSelection#PRESENT} or {@link ClassSelection#ALL}
         * @return this builder
         */
        public Builder optSoftClasses(ClassSelection classes) {
            options.softClasses = presentOrAll(classes);
            return this;
        }

        /**
         * Sets the PRESENT threshold: a class is present when its largest kept target is strictly
         * above it (reference {@code threshold}, default 0.01).
         *
         * @param threshold in [0, 1)
         * @return this builder
         */
        public Builder optThreshold(double threshold) {
            if (!(threshold >= 0 && threshold < 1)) {
                throw new IllegalArgumentException("threshold must lie in [0, 1), got " + threshold);
            }
            options.threshold = threshold;
            return this;
        }

        /**
         * Per image ({@code L_I} alone) or over the batch ({@code L_D} alone, the default), as
         * {@code LovaszSoftmaxLoss.Builder.optPerImage}; {@link #optReductionWeights} mixes them.
         *
         * @param perImage whether to average per image
         * @return this builder
         */
        public Builder optPerImage(boolean perImage) {
            return perImage ? optReductionWeights(0, 1, 0) : optReductionWeights(1, 0, 0);
        }

        /**
         * Sets the weights of the dataset, per-image and per-class reductions (reference {@code
         * mIoUD}, {@code mIoUI}, {@code mIoUC}; default 1, 0, 0): {@code loss = w_D·L_D + w_I·L_I +
         * w_C·L_C}. A term of weight 0 is not computed.
         *
         * @param dataset w_D ≥ 0
         * @param perImage w_I ≥ 0
         * @param perClass w_C ≥ 0, not all three 0
         * @return this builder
         */
        public Builder optReductionWeights(double dataset, double perImage, double perClass) {
            nonNegative(dataset, "dataset weight");
            nonNegative(perImage, "per-image weight");
            nonNegative(perClass, "per-class weight");
            if (dataset + perImage + perClass == 0) {
                throw new IllegalArgumentException("the reduction weights (dataset, per image, per class) are all 0");
            }
            options.datasetReduction = dataset;
            options.imageReduction = perImage;
            options.classReduction = perClass;
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         * @throws IllegalStateException for soft labels with an ignore index or label smoothing
         */
        public TverskyLoss build() {
            return new TverskyLoss(this);
        }

        TverskyOptions options() {
            TverskyOptions copy = options.copy();
            copy.input = inputContract();
            copy.includeBackground = includeBackground;
            return copy;
        }

        private static ClassSelection presentOrAll(ClassSelection classes) {
            Objects.requireNonNull(classes, "classes");
            if (!classes.isPresent() && !classes.isAll()) {
                throw new IllegalArgumentException(
                        "the Jaccard, Dice and Tversky losses take PRESENT or ALL, got the class list "
                                + classes);
            }
            return classes;
        }

        private static double nonNegative(double value, String what) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException(what + " must be finite and >= 0, got " + value);
            }
            return value;
        }
    }
}
