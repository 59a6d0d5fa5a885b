package io.github.djllovasz.examples;

import ai.djl.metric.Metrics;
import ai.djl.training.Trainer;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.listener.EvaluatorTrainingListener;

/** Reads what DJL's {@link EvaluatorTrainingListener} recorded for an evaluator. */
public final class EpochMetrics {

    private EpochMetrics() {}

    /**
     * The latest value DJL recorded for an evaluator (the loss is one) at a stage.
     *
     * @param trainer the trainer (its metrics must be set)
     * @param evaluator the evaluator
     * @param stage e.g. {@link EvaluatorTrainingListener#TRAIN_EPOCH}
     * @return the value, NaN if none was recorded
     */
    public static double latest(Trainer trainer, Evaluator evaluator, String stage) {
        Metrics metrics = trainer.getMetrics();
        String name = EvaluatorTrainingListener.metricName(evaluator, stage);
        if (metrics == null || !metrics.hasMetric(name)) {
            return Double.NaN;
        }
        return metrics.latestMetric(name).getValue();
    }
}
