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
 * @param meanIou the mean of {@code classIoU} over the present classes
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
        double pixelAccuracy,
        double msPerStep,
        double wallSeconds,
        List<int[]> samplePredictions) {}
