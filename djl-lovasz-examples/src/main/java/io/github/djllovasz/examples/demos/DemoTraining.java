package io.github.djllovasz.examples.demos;

import ai.djl.Model;
import ai.djl.TrainingDivergedException;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import io.github.djllovasz.examples.EpochMetrics;
import io.github.djllovasz.training.FiniteGradientCheck;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Full-batch training of a tiny model with Adam, as in the original demos, through DJL's own
 * loop: one epoch of {@code EasyTrain.fit} is one step over all images, and the model starts from
 * the same state in every run. After training, the images are DJL's validation set once, so the
 * metric (an {@link Evaluator} of the library) holds its {@code VALIDATE_EPOCH} counts. A
 * non-finite loss or gradient stops the run before the optimizer applies it ({@link
 * FiniteGradientCheck}); the run is then reported as stopped, with the likely cause, and the demo
 * goes on with the next.
 */
final class DemoTraining {

    private DemoTraining() {}

    /**
     * Trains a fresh copy of a model and returns its final predictions.
     *
     * @param name the run's name
     * @param block a new block with its initial state set by its initializers
     * @param loss the loss on (labels, predictions)
     * @param metric the evaluator read after training under {@code VALIDATE_EPOCH}
     * @param features the input
     * @param labels the labels
     * @param learningRate Adam's learning rate
     * @param steps the number of steps
     * @param initializers sets the initial state on the config (the same for every run)
     * @param out where a progress line goes every 100 steps
     * @return the model output after training, on the features' manager, and the final loss; or
     *     a stopped outcome if training met a non-finite loss or gradient
     */
    static Outcome train(
            String name, Block block, Loss loss, Evaluator metric, NDArray features, NDArray labels,
            float learningRate, int steps, UnaryOperator<DefaultTrainingConfig> initializers,
            PrintStream out) {
        DefaultTrainingConfig config = initializers.apply(new DefaultTrainingConfig(loss)
                .optOptimizer(Optimizer.adam()
                        .optLearningRateTracker(Tracker.fixed(learningRate))
                        .build())
                .addEvaluator(metric)
                .addTrainingListeners(TrainingListener.Defaults.basic())
                .addTrainingListeners(new Progress(name, loss, steps, out), new FiniteGradientCheck()));
        int images = Math.toIntExact(features.getShape().get(0));
        ArrayDataset all = new ArrayDataset.Builder()
                .setData(features)
                .optLabels(labels)
                .setSampling(images, false)
                .build();
        try (Model model = Model.newInstance(name)) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.setMetrics(new Metrics());
                trainer.initialize(features.getShape());
                long start = System.nanoTime();
                try {
                    EasyTrain.fit(trainer, steps, all, null);
                } catch (TrainingDivergedException e) {
                    out.println("!! " + name + " stopped: " + e.getMessage());
                    return Outcome.stopped(e.getMessage());
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                EasyTrain.evaluateDataset(trainer, all);
                NDArray output = trainer.evaluate(new NDList(features)).singletonOrThrow();
                output.attach(features.getManager());
                Map<String, float[]> parameters = new LinkedHashMap<>();
                block.getParameters().forEach(
                        p -> parameters.put(p.getKey(), p.getValue().getArray().toFloatArray()));
                return new Outcome(output, parameters, seconds, null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (TranslateException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * The result of a run.
     *
     * @param output the model's output on the features after training
     * @param parameters the trained parameters' values by name, copied before the model closed
     * @param seconds wall time of the training steps
     * @param stopped why training stopped early, or {@code null} if it finished
     */
    record Outcome(NDArray output, Map<String, float[]> parameters, double seconds, String stopped) {

        static Outcome stopped(String why) {
            return new Outcome(null, Map.of(), Double.NaN, why);
        }

        /** @return whether training stopped on a non-finite loss or gradient */
        boolean isStopped() {
            return stopped != null;
        }
    }

    /** Prints the training loss every 100 steps and at the last one. */
    private static final class Progress extends TrainingListenerAdapter {
        private final String name;
        private final Loss loss;
        private final int steps;
        private final PrintStream out;
        private int step;

        Progress(String name, Loss loss, int steps, PrintStream out) {
            this.name = name;
            this.loss = loss;
            this.steps = steps;
            this.out = out;
        }

        @Override
        public void onEpoch(Trainer trainer) {
            step++;
            if (step % 100 == 0 || step == steps) {
                double value =
                        EpochMetrics.latest(trainer, loss, EvaluatorTrainingListener.TRAIN_EPOCH);
                out.printf(Locale.ROOT, "  %s: step %d/%d, loss %.4f%n", name, step, steps, value);
            }
        }
    }
}
