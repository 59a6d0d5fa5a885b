package io.github.djllovasz.examples.fashion;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListener.BatchData;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures training steps: the wall time between two consecutive training batches of the same
 * epoch, i.e. one whole iteration of {@code EasyTrain.fit} (forward, loss, backward, the training
 * evaluators, the optimizer step, the next batch). Steps of the first epoch (warm-up) and the
 * gaps that contain a validation pass are left out.
 */
public final class StepTimer extends TrainingListenerAdapter {

    private final List<Double> millis = new ArrayList<>();
    private int epoch;
    private long last = -1;

    /** {@inheritDoc} */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        long now = System.nanoTime();
        if (last >= 0 && epoch >= 1) {
            millis.add((now - last) / 1e6);
        }
        last = now;
    }

    /** {@inheritDoc} */
    @Override
    public void onEpoch(Trainer trainer) {
        epoch++;
        last = -1;
    }

    /** @return the median step time in ms, NaN if no step was timed (a single epoch) */
    public double medianMillis() {
        if (millis.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
