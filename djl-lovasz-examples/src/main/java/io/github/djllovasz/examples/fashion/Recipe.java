package io.github.djllovasz.examples.fashion;

import io.github.djllovasz.LovaszSoftmaxLoss;
import io.github.djllovasz.EpochSwitchLoss;
import io.github.djllovasz.SegmentationLosses;
import io.github.djllovasz.SegmentationCrossEntropyLoss;
import io.github.djllovasz.TverskyLoss;
import ai.djl.training.loss.Loss;

/** The five ways the example trains the same network, with the same seed, data and budget. */
public enum Recipe {

    /** Cross-entropy for every epoch. */
    CROSS_ENTROPY("CE"),
    /** Lovász-Softmax (present classes, whole batch) for every epoch. */
    LOVASZ("Lovász"),
    /** Cross-entropy, then Lovász-Softmax for the last epochs: the original's advice. */
    CE_THEN_LOVASZ("CE → Lovász"),
    /** Cross-entropy + λ · Lovász-Softmax for every epoch. */
    CE_PLUS_LOVASZ("CE + λ·Lovász"),
    /**
     * Soft targets: label-smoothed (ε = {@value #SMOOTHING}) cross-entropy + {@value #JML_LAMBDA}
     * · Jaccard metric loss on the same smoothed targets, i.e. 4 · (0.25·CE + 0.75·JML), the
     * ratio the JDTLoss authors suggest.
     */
    LS_CE_PLUS_JML("LS-CE + JML");

    /** Label smoothing ε of {@link #LS_CE_PLUS_JML}. */
    public static final double SMOOTHING = 0.1;

    /** The weight of the Jaccard term of {@link #LS_CE_PLUS_JML}: 0.75 / 0.25. */
    public static final double JML_LAMBDA = 3;

    private final String label;

    Recipe(String label) {
        this.label = label;
    }

    /** @return the short label used in tables and charts */
    public String label() {
        return label;
    }

    /**
     * Describes the recipe's loss schedule in words.
     *
     * @param epochs the total number of epochs
     * @param fineTuneEpochs the number of final epochs of Lovász for {@link #CE_THEN_LOVASZ}
     * @param lambda the Lovász weight for {@link #CE_PLUS_LOVASZ}
     * @return e.g. {@code cross-entropy for epochs 1-4, then Lovász-Softmax for epochs 5-6}
     */
    public String describe(int epochs, int fineTuneEpochs, float lambda) {
        int switchEpoch = Math.max(0, epochs - fineTuneEpochs);
        return switch (this) {
            case CROSS_ENTROPY -> "cross-entropy for all " + epochs + " epochs";
            case LOVASZ -> "Lovász-Softmax (present classes) for all " + epochs + " epochs";
            case CE_THEN_LOVASZ -> "cross-entropy for epochs 1-" + switchEpoch
                    + ", then Lovász-Softmax for epochs " + (switchEpoch + 1) + "-" + epochs;
            case CE_PLUS_LOVASZ -> "cross-entropy + " + lambda + " x Lovász-Softmax for all " + epochs + " epochs";
            case LS_CE_PLUS_JML -> "label-smoothed (eps " + SMOOTHING + ") cross-entropy + " + JML_LAMBDA
                    + " x Jaccard metric loss on the smoothed targets for all " + epochs + " epochs";
        };
    }

    /**
     * Builds the training loss of this recipe from the library's losses and composites.
     *
     * @param epochs the total number of epochs
     * @param fineTuneEpochs the number of final epochs of Lovász for {@link #CE_THEN_LOVASZ}
     * @param lambda the Lovász weight for {@link #CE_PLUS_LOVASZ}
     * @return the loss; for {@link #CE_THEN_LOVASZ} an {@link EpochSwitchLoss}, whose {@link
     *     EpochSwitchLoss#listener()} the trainer must get
     */
    public Loss loss(int epochs, int fineTuneEpochs, float lambda) {
        LovaszSoftmaxLoss lovasz = LovaszSoftmaxLoss.builder().build();
        return switch (this) {
            case CROSS_ENTROPY -> SegmentationCrossEntropyLoss.builder().build();
            case LOVASZ -> lovasz;
            case CE_THEN_LOVASZ -> SegmentationLosses.crossEntropyThenLovasz(lovasz, Math.max(0, epochs - fineTuneEpochs));
            case CE_PLUS_LOVASZ -> SegmentationLosses.crossEntropyPlusLovasz(lovasz, lambda);
            case LS_CE_PLUS_JML -> SegmentationLosses.crossEntropyPlusJaccard(
                    TverskyLoss.jaccard().optLabelSmoothing(SMOOTHING).build(), JML_LAMBDA);
        };
    }
}
