package ai.djl.lovasz.examples.fashion;

import ai.djl.lovasz.examples.metrics.IouCounts;
import java.util.List;

/**
 * What one training run produced.
 *
 * @param recipe the recipe
 * @param testMeanIou test mIoU after each epoch
 * @param trainLoss mean training loss of each epoch
 * @param finalCounts the confusion counts on the held-out scenes after the last epoch
 * @param wallSeconds wall time of the run (training and the per-epoch test evaluations)
 * @param samplePredictions predicted classes of the sample scenes, {@code size * size} each
 */
public record RunResult(
        Recipe recipe,
        List<Double> testMeanIou,
        List<Double> trainLoss,
        IouCounts finalCounts,
        double wallSeconds,
        List<int[]> samplePredictions) {

    /** @return the final test mIoU */
    public double meanIou() {
        return finalCounts.meanIou();
    }
}
