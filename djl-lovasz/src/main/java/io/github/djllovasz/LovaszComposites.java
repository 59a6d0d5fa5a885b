package io.github.djllovasz;

import ai.djl.training.loss.SimpleCompositeLoss;

/**
 * Factories for the recipes that combine the Lovász loss with cross-entropy (the original's
 * README and PaddleSeg recommend both: a sum, or cross-entropy first and Lovász fine-tuning).
 */
public final class LovaszComposites {

    private LovaszComposites() {}

    /**
     * {@code CE + λ·Lovász} as a DJL {@link SimpleCompositeLoss}; the cross-entropy ignores the
     * same label as the Lovász loss.
     *
     * @param lovasz the Lovász-Softmax loss (its ignore index and class axis are shared)
     * @param lambda the weight λ of the Lovász term
     * @return the composite loss
     */
    public static SimpleCompositeLoss crossEntropyPlusLovasz(LovaszSoftmaxLoss lovasz, double lambda) {
        SimpleCompositeLoss loss = new SimpleCompositeLoss("CE+" + lambda + "·Lovasz");
        loss.addLoss(crossEntropyLike(lovasz));
        loss.addLoss(new WeightedLoss(lovasz, lambda));
        return loss;
    }

    /**
     * Cross-entropy until {@code switchEpoch}, then the Lovász loss; register {@link
     * EpochSwitchLoss#listener()} with the trainer.
     *
     * @param lovasz the Lovász-Softmax loss (its ignore index and class axis are shared)
     * @param switchEpoch the first epoch (0-based) trained with the Lovász loss; 0 means Lovász
     *     throughout
     * @return the switching loss
     */
    public static EpochSwitchLoss crossEntropyThenLovasz(LovaszSoftmaxLoss lovasz, int switchEpoch) {
        if (switchEpoch < 0) {
            throw new IllegalArgumentException("switchEpoch must be >= 0, got " + switchEpoch);
        }
        EpochSwitchLoss.Builder builder = EpochSwitchLoss.builder();
        if (switchEpoch > 0) {
            builder.addPhase(0, crossEntropyLike(lovasz));
        }
        return builder.addPhase(switchEpoch, lovasz).build();
    }

    private static SegmentationCrossEntropyLoss crossEntropyLike(LovaszSoftmaxLoss lovasz) {
        return new SegmentationCrossEntropyLoss(
                "SegmentationCrossEntropy", lovasz.getIgnoreIndex(), lovasz.getClassAxis());
    }
}
