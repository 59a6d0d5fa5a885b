package io.github.djllovasz.examples.fashion;

import java.util.List;

/**
 * What one training run produced.
 *
 * @param recipe the recipe
 * @param testMeanIou test mIoU after each epoch (the library's {@code MeanIoU} as DJL's
 *     validation evaluator)
 * @param trainLoss mean training loss of each epoch
 * @param classIoU IoU of each class on the held-out scenes after the last epoch (NaN if absent)
 * @param meanIou the mean of {@code classIoU} over the present classes: mIoU^D
 * @param perImageMeanIou mIoU^I: per held-out scene the mean IoU over the classes it shows (truth
 *     or prediction), then the mean over scenes
 * @param perClassMeanIou mIoU^C: per class the mean IoU over the scenes where it appears, then the
 *     mean over classes
 * @param worstMeanIou the mean mIoU^I of the worst {@value RunResult#WORST_PERCENT} % of the scenes
 * @param pixelAccuracy the held-out pixel accuracy after the last epoch
 * @param msPerStep the median wall time of a training step after the first epoch, in ms
 * @param wallSeconds wall time of the run (training and the per-epoch test evaluations)
 * @param samplePredictions predicted classes of the sample scenes, {@code size * size} each
 */
public record RunResult(
        Recipe recipe,
        List<Double> testMeanIou,
        List<Double> trainLoss,
        double[] classIoU,
        double meanIou,
        double perImageMeanIou,
        double perClassMeanIou,
        double worstMeanIou,
        double pixelAccuracy,
        double msPerStep,
        double wallSeconds,
        List<int[]> samplePredictions) {

    /** The share of worst scenes in {@code worstMeanIou}, in %. */
    public static final double WORST_PERCENT = 10;
}
