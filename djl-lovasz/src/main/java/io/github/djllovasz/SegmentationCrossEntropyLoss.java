package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Softmax cross-entropy for segmentation with an ignore index, the partner of the Lovász losses
 * in composite recipes:
 *
 * <pre>
 *   loss = − (1 / |V|) · Σ_{i ∈ V} log softmax(s_i)[y_i],   V = pixels whose label is not ignored
 * </pre>
 *
 * <p>(PyTorch's {@code cross_entropy(..., ignore_index=…)} with mean reduction; 0 when nothing is
 * valid). Predictions are logits {@code [B, C, d1, ...]} (class axis configurable), labels class
 * ids of the prediction shape without the class axis or with it of size 1, validated like the
 * Lovász losses. Ignored pixels get exactly zero gradient. Built from {@code logSoftmax} and a
 * pick along the class axis, so it runs on every DJL engine (DJL's own {@code
 * SoftmaxCrossEntropyLoss} has no ignore index). An empty batch (B = 0) gives 0 with a zero
 * gradient. Evaluated once per training step ({@link EvaluateOnceLoss}).
 *
 * <p><b>Soft targets</b>, as {@link TverskyLoss} takes them: with {@link Builder#optSoftLabels
 * optSoftLabels(true)} the labels are class probabilities {@code t_i(c)} of the prediction shape
 * (checked: finite, in [0, 1], summing to 1), and with {@link Builder#optLabelSmoothing
 * optLabelSmoothing(ε)} class ids become {@code t_i(c) = (1 − ε)·[y_i = c] + ε/C} (PyTorch's
 * {@code label_smoothing}); then
 *
 * <pre>
 *   loss = − (1 / |V|) · Σ_{i ∈ V} Σ_c t_i(c) · log softmax(s_i)[c]
 * </pre>
 *
 * <p>A second labels array, if given, is a keep mask (1 keep, 0 drop) of the class-id shape: V is
 * then the kept pixels (not together with an ignore index).
 *
 * <p><b>Probabilities</b>: with {@link ClassAxisBuilder#optFromLogits optFromLogits(false)} the
 * predictions are class probabilities (checked to lie in [0, 1]) and {@code log p} replaces {@code
 * log softmax(s)}, with {@code p} clipped below at float32's smallest normal number (about
 * 1.2e-38), so a probability of exactly 0 gives a large finite loss (about 87) instead of infinity.
 * The composites of {@link SegmentationLosses} hand this loss their Lovász or Jaccard loss's whole
 * {@link InputContract}, so probabilities in means probabilities used.
 *
 * <p><b>Class weights and the focal term</b> (Lin et al. 2017, "Focal Loss for Dense Object
 * Detection"): with {@link Builder#optClassWeights optClassWeights(w)} and {@link
 * Builder#optGamma optGamma(γ)}, for every kind of target above,
 *
 * <pre>
 *   loss = (1 / |V|) · Σ_{i ∈ V} Σ_c w_c · t_i(c) · (1 − p_i(c))^γ · (−log p_i(c))
 * </pre>
 *
 * <p>normalised by the number of kept pixels |V| as above (as kornia's {@code focal_loss} with
 * reduction "mean"). Other normalisations: MONAI's {@code FocalLoss(use_softmax=True,
 * reduction="mean")} divides by {@code C·|V|} (its value is this one divided by C); PyTorch's
 * {@code cross_entropy(weight=w)} on class ids divides by {@code Σ_{i ∈ V} w_{y_i}} (its value is
 * this one times {@code |V| / Σ_{i ∈ V} w_{y_i}}, with or without label smoothing; on soft labels
 * it divides by the pixel count, as here). The factor {@code 1 − p} is clipped below at float32's
 * smallest normal number before the power, so γ in (0, 1) keeps finite gradients where {@code p =
 * 1}; γ = 0 gives the factor 1 exactly. Weights that are all 1 and γ = 0 compute exactly the loss
 * without them; otherwise float16 and bfloat16 predictions are widened to float32 first ({@link
 * EngineQuirks#widen}), and the loss is float32.
 */
public class SegmentationCrossEntropyLoss extends ContractLoss {

    /** One weight per class, or {@code null}. */
    private final double[] classWeights;
    /** The focal exponent γ, 0 for none. */
    private final double gamma;
    /** Whether the weights change anything (some weight is not 1). */
    private final boolean weighted;

    /**
     * Creates the loss from a builder.
     *
     * @param builder the settings
     */
    protected SegmentationCrossEntropyLoss(Builder builder) {
        super(builder);
        this.classWeights = builder.classWeights;
        this.gamma = builder.gamma;
        this.weighted =
                classWeights != null && Arrays.stream(classWeights).anyMatch(w -> w != 1);
    }

    /** @return a builder (no ignore index, class axis 1, logits) */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    NDArray compute(NDList labels, NDArray scores) {
        boolean focal = weighted || gamma > 0;
        NDArray predictions = focal ? EngineQuirks.widen(scores) : scores;
        int axis = Targets.requireShapes(labels, predictions, input, "predictions");
        SegmentationInputs.requireClassWeightCount(classWeights, predictions.getShape(), axis);
        if (SegmentationInputs.isEmptyBatch(predictions)) {
            return SegmentationInputs.zeroLoss(predictions);
        }
        SegmentationInputs.requireNonEmpty(predictions, "predictions");
        NDArray logProbas = logProbabilities(predictions, axis);
        if (focal || input.isSoftLabels() || input.getLabelSmoothing() > 0 || labels.size() == 2) {
            return softTargets(labels, logProbas, axis);
        }
        return classIds(labels.get(0), logProbas, axis);
    }

    /** {@code log softmax(s)} of logits, or {@code log p} of checked probabilities. */
    private NDArray logProbabilities(NDArray scores, int axis) {
        if (input.isFromLogits()) {
            return scores.logSoftmax(axis);
        }
        SegmentationInputs.checkProbabilities(scores);
        return scores.clip(Float.MIN_NORMAL, 1).log(); // MXNet reads clip bounds as float32
    }

    /**
     * {@code −Σ t·log p} over the kept pixels, divided by their number; with class weights {@code
     * −Σ w·t·log p}, and with γ &gt; 0 each term times {@code (1 − p)^γ}.
     */
    private NDArray softTargets(NDList labels, NDArray logProbas, int axis) {
        Targets targets = Targets.of(labels, logProbas, axis, input);
        NDArray logP = Targets.classFirst(logProbas, axis);
        NDArray t = targets.values;
        if (weighted) { // the weights need no gradient: they go into the targets
            NDArray w = SegmentationInputs.classWeights(logP, classWeights).reshape(1, classWeights.length, 1);
            t = t.mul(w);
        }
        NDArray terms = logP.mul(t);
        if (gamma > 0) {
            // (1 − p)^γ, its base clipped below so that γ < 1 keeps a finite gradient at p = 1
            NDArray base = logP.exp().neg().add(1).clip(Float.MIN_NORMAL, 1);
            terms = terms.mul(base.pow(EngineQuirks.constant(base, gamma)));
        }
        NDArray sum = terms.sum().neg();
        if (targets.keep == null) {
            Shape shape = logProbas.getShape();
            return sum.div(EngineQuirks.constant(sum, shape.size() / shape.get(axis)));
        }
        return sum.div(targets.keep.sum().maximum(1));
    }

    /** {@code −log p_y} over the pixels that are not ignored, picked without a one-hot. */
    private NDArray classIds(NDArray labels, NDArray logProbas, int axis) {
        Integer ignoreIndex = input.getIgnoreIndex();
        Shape shape = logProbas.getShape();
        long numClasses = shape.get(axis);
        NDArray ids = SegmentationInputs.classIdRows(shape, labels);
        SegmentationInputs.checkLabelRange(
                ids, ignoreIndex, 0, numClasses - 1, "[0, " + numClasses + ")");
        NDArray valid =
                ignoreIndex == null
                        ? ids.onesLike().toType(DataType.BOOLEAN, false)
                        : ids.neq(ignoreIndex);
        // Ignored pixels pick class 0 and are then multiplied by 0.
        NDArray safe = ids.mul(valid.toType(DataType.INT64, false));
        NDArray pickShape = safe.reshape(withClassAxisOne(shape, axis));
        NDIndex pick = new NDIndex();
        for (int i = 0; i < axis; i++) {
            pick.addAllDim();
        }
        NDArray picked = logProbas.get(pick.addPickDim(pickShape));
        NDArray weights = valid.toType(logProbas.getDataType(), false).reshape(picked.getShape());
        NDArray count = weights.sum().maximum(1);
        return picked.mul(weights).sum().neg().div(count);
    }

    /** The prediction shape with the class axis of size 1. */
    private static Shape withClassAxisOne(Shape shape, int axis) {
        long[] dims = shape.getShape().clone(); // getShape() is the shape's own array
        dims[axis] = 1;
        return new Shape(dims);
    }

    /** @return a copy of the class weights, or {@code null} when none were set */
    public double[] getClassWeights() {
        return classWeights == null ? null : classWeights.clone();
    }

    /** @return the focal exponent γ (0: plain cross-entropy) */
    public double getGamma() {
        return gamma;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return getName() + "{" + input
                + (classWeights == null ? "" : ", classWeights=" + Arrays.toString(classWeights))
                + (gamma == 0 ? "" : ", gamma=" + gamma) + "}";
    }

    /** Builds a {@link SegmentationCrossEntropyLoss}; every setting is optional. */
    public static final class Builder extends SoftLabelBuilder<Builder> {

        private double[] classWeights;
        private double gamma;

        Builder() {
            super("SegmentationCrossEntropyLoss");
        }

        /**
         * Weights each class's terms by {@code w_c} (PyTorch's {@code weight}, MONAI's {@code
         * weight}); the mean still divides by the number of kept pixels, not by the weights. The
         * count is checked against C when the loss is evaluated. Default: none (all 1).
         *
         * @param weights one finite weight ≥ 0 per class
         * @return this builder
         * @throws IllegalArgumentException naming a weight that is negative or not finite
         */
        public Builder optClassWeights(double... weights) {
            classWeights = requireClassWeights(weights);
            return this;
        }

        /**
         * Sets the focal exponent γ: each term is multiplied by {@code (1 − p)^γ} (Lin et al.
         * 2017; kornia's and MONAI's {@code gamma}). Default 0, the plain cross-entropy.
         *
         * @param gamma γ, finite and ≥ 0
         * @return this builder
         * @throws IllegalArgumentException naming γ when it is negative or not finite
         */
        public Builder optGamma(double gamma) {
            this.gamma = requireGamma(gamma);
            return this;
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         * @throws IllegalStateException for soft labels with an ignore index or label smoothing
         */
        public SegmentationCrossEntropyLoss build() {
            return new SegmentationCrossEntropyLoss(this);
        }
    }
}
