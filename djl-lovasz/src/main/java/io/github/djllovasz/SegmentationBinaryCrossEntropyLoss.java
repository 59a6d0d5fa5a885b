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
 */
public class SegmentationBinaryCrossEntropyLoss extends ContractLoss {

    /**
     * Creates the loss from a builder.
     *
     * @param builder the settings
     */
    protected SegmentationBinaryCrossEntropyLoss(Builder builder) {
        super(builder);
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
        return binaryCrossEntropy(targets, logits, ignoreIndex);
    }

    private static NDArray binaryCrossEntropy(NDArray labels, NDArray logits, Integer ignoreIndex) {
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
        NDArray perPixel =
                Activation.relu(logits)
                        .sub(logits.mul(y))
                        .add(logits.abs().neg().exp().add(1).log());
        if (valid == null) {
            return perPixel.mean();
        }
        return perPixel.mul(valid).sum().div(valid.sum().maximum(1));
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return getName() + "{ignoreIndex=" + input.getIgnoreIndex() + "}";
    }

    /** Builds a {@link SegmentationBinaryCrossEntropyLoss}; every setting is optional. */
    public static final class Builder extends SettingsBuilder<Builder> {

        Builder() {
            super("SegmentationBinaryCrossEntropyLoss");
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
