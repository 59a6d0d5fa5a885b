package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * Binary cross-entropy from logits for segmentation with an ignore index, the partner of the
 * Lovász hinge (and of Lovász-sigmoid) in composite recipes, as the original's {@code
 * binary_xloss}:
 *
 * <pre>
 *   loss = (1 / |V|) · Σ_{i ∈ V} [ max(s_i, 0) − s_i·y_i + log(1 + exp(−|s_i|)) ],
 *   V = pixels whose label is not ignored
 * </pre>
 *
 * <p>(the numerically stable form of {@code −y·log σ(s) − (1 − y)·log(1 − σ(s))}; 0 when nothing
 * is valid). Logits and 0/1 labels are {@code [B, d1, ...]} of the same shape, or equal once a
 * size-1 axis 1 is dropped from either, as for {@link io.github.djllovasz.LovaszHingeLoss}. Labels
 * other than 0, 1 and the ignore index are rejected, naming the label. Ignored pixels get exactly
 * zero gradient; an empty batch (B = 0) gives 0 with a zero gradient. Evaluated once per training
 * step ({@link EvaluateOnceLoss}).
 *
 * <p><b>Sigmoid focal loss</b> (Lin et al. 2017; torchvision's {@code sigmoid_focal_loss} with
 * reduction "mean", MONAI's {@code FocalLoss(use_softmax=False)}): with {@link Builder#optGamma
 * optGamma(γ)} and {@link Builder#optAlpha optAlpha(α)} each pixel's term {@code bce_i} above is
 * weighted,
 *
 * <pre>
 *   loss = (1 / |V|) · Σ_{i ∈ V} α_t · (1 − p_t)^γ · bce_i,
 *   (1 − p_t)^γ = exp(γ · logsigmoid(−s_i·(2y_i − 1))),   α_t = α·y_i + (1 − α)·(1 − y_i)
 * </pre>
 *
 * <p>with {@code logsigmoid(z) = −(max(−z, 0) + log(1 + exp(−|z|)))}, stable for any logit; without
 * α, {@code α_t = 1}. Multilabel logits {@code [B, C, H, W]} with 0/1 labels of the same shape fit
 * the shape rules above, and the mean is over every kept element. γ = 0 without α is exactly the
 * loss above; otherwise float16 and bfloat16 logits are widened to float32 first ({@link
 * EngineQuirks#widen}), and the loss is float32.
 */
public class SegmentationBinaryCrossEntropyLoss extends ContractLoss {

    /** The focal exponent γ, 0 for none. */
    private final double gamma;
    /** The weight α of the positive labels, or {@code null} for none. */
    private final Double alpha;

    /**
     * Creates the loss from a builder.
     *
     * @param builder the settings
     */
    protected SegmentationBinaryCrossEntropyLoss(Builder builder) {
        super(builder);
        this.gamma = builder.gamma;
        this.alpha = builder.alpha;
    }

    /** @return a builder (no ignore index) */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    NDArray compute(NDList labels, NDArray logits) {
        InputContract.requireLabelCount(labels);
        Integer ignoreIndex = input.getIgnoreIndex();
        NDArray targets = labels.get(0);
        if (labels.size() == 2) { // a keep mask: its dropped pixels are ignored
            targets = input.maskedClassIds(labels);
            ignoreIndex = InputContract.DROPPED;
        }
        boolean focal = gamma > 0 || alpha != null;
        return binaryCrossEntropy(targets, focal ? EngineQuirks.widen(logits) : logits, ignoreIndex);
    }

    private NDArray binaryCrossEntropy(NDArray labels, NDArray logits, Integer ignoreIndex) {
        SegmentationInputs.requireBinaryShapes(labels, logits, "logits");
        if (SegmentationInputs.isEmptyBatch(logits)) {
            return SegmentationInputs.zeroLoss(logits);
        }
        SegmentationInputs.requireNonEmpty(logits, "logits");
        Shape shape = logits.getShape();
        NDArray ids = SegmentationInputs.integerLabels(labels).reshape(shape);
        SegmentationInputs.checkLabelRange(ids, ignoreIndex, 0, 1, "{0, 1}");
        DataType type = logits.getDataType();
        NDArray y;
        NDArray valid = null;
        if (ignoreIndex == null) {
            y = ids.toType(type, false);
        } else {
            NDArray kept = ids.neq(ignoreIndex);
            valid = kept.toType(type, false);
            // Ignored labels may be anything: count them as 0, then weigh them 0.
            y = ids.mul(kept.toType(DataType.INT64, false)).toType(type, false);
        }
        // relu, not maximum(0): DJL's PyTorch maximum(Number) leaves the autograd
        // graph a temporary scalar over Java memory (see EngineQuirks.constant).
        NDArray softplus = logits.abs().neg().exp().add(1).log(); // log(1 + exp(−|s|))
        NDArray perPixel = Activation.relu(logits).sub(logits.mul(y)).add(softplus);
        if (gamma > 0) {
            perPixel = perPixel.mul(focalFactor(logits, y, softplus));
        }
        NDArray weights = valid;
        if (alpha != null) { // α_t = (1 − α) + (2α − 1)·y, no gradient
            NDArray alphaT = y.mul(EngineQuirks.scalar(type, 2 * alpha - 1))
                    .add(EngineQuirks.scalar(type, 1 - alpha));
            weights = valid == null ? alphaT : valid.mul(alphaT);
        }
        if (valid == null) {
            return weights == null ? perPixel.mean() : perPixel.mul(weights).mean();
        }
        return perPixel.mul(weights).sum().div(valid.sum().maximum(1));
    }

    /**
     * {@code (1 − p_t)^γ = exp(γ · logsigmoid(z))} with {@code z = −s·(2y − 1)}: since {@code |z| =
     * |s|}, {@code logsigmoid(z) = −(max(s·(2y − 1), 0) + log(1 + exp(−|s|)))}.
     */
    private NDArray focalFactor(NDArray logits, NDArray y, NDArray softplus) {
        NDArray sign = y.mul(EngineQuirks.scalar(y.getDataType(), 2)).sub(1); // 2y − 1, no gradient
        NDArray logSigmoid = Activation.relu(logits.mul(sign)).add(softplus).neg();
        return logSigmoid.mul(EngineQuirks.constant(logSigmoid, gamma)).exp();
    }

    /** @return the focal exponent γ (0: plain binary cross-entropy) */
    public double getGamma() {
        return gamma;
    }

    /** @return the weight α of the positive labels, or {@code null} when labels are not weighted */
    public Double getAlpha() {
        return alpha;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return getName() + "{ignoreIndex=" + input.getIgnoreIndex()
                + (gamma == 0 ? "" : ", gamma=" + gamma) + (alpha == null ? "" : ", alpha=" + alpha) + "}";
    }

    /** Builds a {@link SegmentationBinaryCrossEntropyLoss}; every setting is optional. */
    public static final class Builder extends SettingsBuilder<Builder> {

        private double gamma;
        private Double alpha;

        Builder() {
            super("SegmentationBinaryCrossEntropyLoss");
        }

        /**
         * Sets the focal exponent γ: each pixel's term is multiplied by {@code (1 − p_t)^γ}
         * (torchvision's and MONAI's {@code gamma}). Default 0, the plain binary cross-entropy.
         *
         * @param gamma γ, finite and ≥ 0
         * @return this builder
         * @throws IllegalArgumentException naming γ when it is negative or not finite
         */
        public Builder optGamma(double gamma) {
            this.gamma = requireGamma(gamma);
            return this;
        }

        /**
         * Weights positive labels by α and negative ones by {@code 1 − α} (torchvision's and
         * MONAI's {@code alpha}; torchvision's default is 0.25, MONAI's none). Default: none, every
         * pixel weighs 1.
         *
         * @param alpha α in [0, 1]
         * @return this builder
         * @throws IllegalArgumentException naming α when it lies outside [0, 1]
         */
        public Builder optAlpha(double alpha) {
            if (!(alpha >= 0 && alpha <= 1)) {
                throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
            }
            this.alpha = alpha;
            return this;
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /** @return the loss */
        public SegmentationBinaryCrossEntropyLoss build() {
            return new SegmentationBinaryCrossEntropyLoss(this);
        }
    }
}
