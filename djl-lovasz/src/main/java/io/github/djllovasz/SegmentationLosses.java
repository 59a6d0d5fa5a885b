package io.github.djllovasz;

import ai.djl.training.loss.SimpleCompositeLoss;

/**
 * Factories for the library's losses with their defaults, in the spirit of DJL's {@code
 * Loss.softmaxCrossEntropyLoss()}, and for the recipes that combine the Lovász loss with
 * cross-entropy (the original's README and PaddleSeg recommend both: a sum, or cross-entropy
 * first and Lovász fine-tuning), and the Jaccard or Dice loss with cross-entropy (the JDTLoss
 * authors suggest {@code 0.25·CE + 0.75·JML}, i.e. λ = 3 up to a factor). For other settings use
 * each loss's builder.
 *
 * <pre>{@code
 * Loss loss = SegmentationLosses.lovaszSoftmax();                        // LovaszSoftmaxLoss.builder().build()
 * Loss sum = SegmentationLosses.crossEntropyPlusLovasz(
 *         LovaszSoftmaxLoss.builder().optIgnoreIndex(255).build(), 0.5);
 * Loss soft = SegmentationLosses.crossEntropyPlusJaccard(
 *         TverskyLoss.jaccard().optLabelSmoothing(0.1).build(), 3);  // smoothed CE + 3·JML
 * }</pre>
 */
public final class SegmentationLosses {

    private SegmentationLosses() {}

    /** @return Lovász-Softmax with the original's defaults ({@link LovaszSoftmaxLoss#builder()}) */
    public static LovaszSoftmaxLoss lovaszSoftmax() {
        return LovaszSoftmaxLoss.builder().build();
    }

    /** @return the Lovász hinge with the original's defaults ({@link LovaszHingeLoss#builder()}) */
    public static LovaszHingeLoss lovaszHinge() {
        return LovaszHingeLoss.builder().build();
    }

    /** @return the multilabel Lovász hinge, pooled ({@link LovaszMultilabelLoss#builder()}) */
    public static LovaszMultilabelLoss lovaszMultilabel() {
        return LovaszMultilabelLoss.builder().build();
    }

    /** @return softmax cross-entropy without ignore index ({@link SegmentationCrossEntropyLoss}) */
    public static SegmentationCrossEntropyLoss segmentationCrossEntropy() {
        return SegmentationCrossEntropyLoss.builder().build();
    }

    /** @return binary cross-entropy from logits ({@link SegmentationBinaryCrossEntropyLoss}) */
    public static SegmentationBinaryCrossEntropyLoss segmentationBinaryCrossEntropy() {
        return SegmentationBinaryCrossEntropyLoss.builder().build();
    }

    /** @return the Jaccard metric loss with the reference's defaults ({@link TverskyLoss#jaccard()}) */
    public static TverskyLoss jaccard() {
        return TverskyLoss.jaccard().build();
    }

    /**
     * @return the Generalized Dice loss with MONAI's defaults ({@link GeneralizedDiceLoss#builder()}:
     *     square weights, per image)
     */
    public static GeneralizedDiceLoss generalizedDice() {
        return GeneralizedDiceLoss.builder().build();
    }

    /** @return the Dice semimetric loss with the reference's defaults ({@link TverskyLoss#dice()}) */
    public static TverskyLoss dice() {
        return TverskyLoss.dice().build();
    }

    /**
     * {@code CE + λ·Jaccard} as a DJL {@link SimpleCompositeLoss} named
     * "CrossEntropyPlusJaccardLoss"; the cross-entropy takes the same labels in the same way as the
     * Jaccard loss: its whole {@link InputContract} (class ids with the same ignore index and label
     * smoothing, or soft labels; a keep mask; the same class axis; logits or probabilities). Each
     * term is evaluated once per training step.
     *
     * @param jaccard the Jaccard loss ({@link TverskyLoss#jaccard()}, or any Tversky loss)
     * @param lambda the weight λ of the Jaccard term, finite
     * @return the composite loss
     */
    public static SimpleCompositeLoss crossEntropyPlusJaccard(TverskyLoss jaccard, double lambda) {
        return crossEntropyPlusJaccard(crossEntropyLike(jaccard), jaccard, lambda);
    }

    /**
     * {@code CE + λ·Jaccard} with a cross-entropy of your own (class weights, focal γ), named
     * "CrossEntropyPlusJaccardLoss". Both terms read the same labels and predictions, so their
     * input contracts must agree on everything but label smoothing (see {@link
     * #crossEntropyPlusLovasz(SegmentationCrossEntropyLoss, LovaszSoftmaxLoss, double)}).
     *
     * @param ce the cross-entropy, with its own weights and γ
     * @param jaccard the Jaccard loss ({@link TverskyLoss#jaccard()}, or any Tversky loss)
     * @param lambda the weight λ of the Jaccard term, finite
     * @return the composite loss
     * @throws IllegalArgumentException when the two losses expect different inputs, naming both
     *     contracts
     */
    public static SimpleCompositeLoss crossEntropyPlusJaccard(
            SegmentationCrossEntropyLoss ce, TverskyLoss jaccard, double lambda) {
        return crossEntropyPlus("CrossEntropyPlusJaccardLoss", ce, jaccard, jaccard.getInputContract(), "Jaccard loss", lambda);
    }

    /**
     * {@code CE + λ·Dice} as a DJL {@link SimpleCompositeLoss} named "CrossEntropyPlusDiceLoss",
     * the cross-entropy configured as in {@link #crossEntropyPlusJaccard}.
     *
     * @param dice the Dice loss ({@link TverskyLoss#dice()}, or any Tversky loss)
     * @param lambda the weight λ of the Dice term, finite
     * @return the composite loss
     */
    public static SimpleCompositeLoss crossEntropyPlusDice(TverskyLoss dice, double lambda) {
        return crossEntropyPlusDice(crossEntropyLike(dice), dice, lambda);
    }

    /**
     * {@code CE + λ·Dice} with a cross-entropy of your own (class weights, focal γ), named
     * "CrossEntropyPlusDiceLoss"; the contracts must agree as for {@link
     * #crossEntropyPlusJaccard(SegmentationCrossEntropyLoss, TverskyLoss, double)}.
     *
     * @param ce the cross-entropy, with its own weights and γ
     * @param dice the Dice loss ({@link TverskyLoss#dice()}, or any Tversky loss)
     * @param lambda the weight λ of the Dice term, finite
     * @return the composite loss
     * @throws IllegalArgumentException when the two losses expect different inputs, naming both
     *     contracts
     */
    public static SimpleCompositeLoss crossEntropyPlusDice(
            SegmentationCrossEntropyLoss ce, TverskyLoss dice, double lambda) {
        return crossEntropyPlus("CrossEntropyPlusDiceLoss", ce, dice, dice.getInputContract(), "Dice loss", lambda);
    }

    /**
     * {@code CE + λ·Lovász} as a DJL {@link SimpleCompositeLoss} named
     * "CrossEntropyPlusLovaszLoss"; the cross-entropy takes the Lovász loss's whole {@link
     * InputContract} (ignore index, class axis, logits or probabilities). Each term is evaluated
     * once per training step.
     *
     * @param lovasz the Lovász-Softmax loss
     * @param lambda the weight λ of the Lovász term, finite
     * @return the composite loss
     */
    public static SimpleCompositeLoss crossEntropyPlusLovasz(LovaszSoftmaxLoss lovasz, double lambda) {
        return crossEntropyPlusLovasz(crossEntropyLike(lovasz), lovasz, lambda);
    }

    /**
     * {@code CE + λ·Lovász} with a cross-entropy of your own (class weights, focal γ), named
     * "CrossEntropyPlusLovaszLoss":
     *
     * <pre>{@code
     * SegmentationCrossEntropyLoss focal = SegmentationCrossEntropyLoss.builder()
     *         .optIgnoreIndex(255).optClassWeights(0.5, 1, 2).optGamma(2).build();
     * Loss loss = SegmentationLosses.crossEntropyPlusLovasz(
     *         focal, LovaszSoftmaxLoss.builder().optIgnoreIndex(255).build(), 0.5);
     * }</pre>
     *
     * <p>Both terms read the same labels and predictions, so the cross-entropy's {@link
     * InputContract} must equal the partner's in the ignore index, the class axis, logits or
     * probabilities, and class ids or soft labels. Label smoothing is each loss's own treatment of
     * the same class ids and may differ (a smoothed cross-entropy beside a Lovász loss).
     *
     * @param ce the cross-entropy, with its own weights and γ
     * @param lovasz the Lovász-Softmax loss
     * @param lambda the weight λ of the Lovász term, finite
     * @return the composite loss
     * @throws IllegalArgumentException when the two losses expect different inputs, naming both
     *     contracts
     */
    public static SimpleCompositeLoss crossEntropyPlusLovasz(
            SegmentationCrossEntropyLoss ce, LovaszSoftmaxLoss lovasz, double lambda) {
        return crossEntropyPlus("CrossEntropyPlusLovaszLoss", ce, lovasz, lovasz.getInputContract(), "Lovász loss", lambda);
    }

    private static SimpleCompositeLoss crossEntropyPlus(
            String name, SegmentationCrossEntropyLoss ce, EvaluateOnceLoss partner, InputContract contract,
            String partnerName, double lambda) {
        requireSameInputs(ce.getInputContract(), contract, partnerName);
        return new SimpleCompositeLoss(name)
                .addLoss(ce)
                .addLoss(WeightedLoss.builder().setLoss(partner).setWeight(lambda).build());
    }

    /**
     * Requires two contracts to read the same labels and predictions: equal but for label
     * smoothing, each loss's own treatment of the same class ids.
     */
    private static void requireSameInputs(InputContract ce, InputContract partner, String partnerName) {
        if (!ce.withLabelSmoothing(0).equals(partner.withLabelSmoothing(0))) {
            throw new IllegalArgumentException(
                    "the cross-entropy's inputs {" + ce + "} differ from the " + partnerName + "'s {"
                            + partner + "}: give both the same ignore index, class axis, logits or"
                            + " probabilities, and class ids or soft labels");
        }
    }

    /**
     * Cross-entropy until {@code switchEpoch}, then the Lovász loss, named
     * "CrossEntropyThenLovaszLoss"; register {@link EpochSwitchLoss#listener()} with the trainer.
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
        EpochSwitchLoss.Builder builder = EpochSwitchLoss.builder().optName("CrossEntropyThenLovaszLoss");
        if (switchEpoch > 0) {
            builder.addPhase(0, crossEntropyLike(lovasz));
        }
        return builder.addPhase(switchEpoch, lovasz).build();
    }

    /** The cross-entropy partner: the loss's whole input contract, probabilities in and used. */
    private static SegmentationCrossEntropyLoss crossEntropyLike(LovaszSoftmaxLoss lovasz) {
        return SegmentationCrossEntropyLoss.builder().inputs(lovasz.getInputContract()).build();
    }

    private static SegmentationCrossEntropyLoss crossEntropyLike(TverskyLoss loss) {
        InputContract contract = loss.getInputContract();
        if (contract.isMultilabel()) {
            throw new IllegalArgumentException(
                    loss.getName() + " takes multilabel targets, which a softmax cross-entropy cannot:"
                            + " pair it with SegmentationBinaryCrossEntropyLoss (sigmoid per channel) in a"
                            + " SimpleCompositeLoss, with WeightedLoss for λ");
        }
        return SegmentationCrossEntropyLoss.builder().inputs(contract).build();
    }
}
