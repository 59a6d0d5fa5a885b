package ai.djl.lovasz.examples.demos;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.training.util.ProgressBar;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Full-batch training of a tiny model with Adam, as in the original demos: every step uses all
 * images, and the model starts from the same state in every run.
 */
final class DemoTraining {

    private DemoTraining() {}

    /**
     * Trains a fresh copy of a model and returns its final predictions.
     *
     * @param name the run's name (progress bar)
     * @param block a new block with its initial state set by its initializers
     * @param loss the loss on (labels, predictions)
     * @param features the input
     * @param labels the labels
     * @param predictionShape reshapes the model output before the loss (e.g. add a class axis)
     * @param learningRate Adam's learning rate
     * @param steps the number of steps
     * @param initializers sets the initial state on the config (the same for every run)
     * @return the model output after training, on the features' manager, and the final loss
     */
    static Outcome train(
            String name, Block block, Loss loss, NDArray features, NDArray labels,
            Function<NDArray, NDArray> predictionShape, float learningRate, int steps,
            UnaryOperator<DefaultTrainingConfig> initializers) {
        DefaultTrainingConfig config = initializers.apply(new DefaultTrainingConfig(loss)
                .optOptimizer(Optimizer.adam()
                        .optLearningRateTracker(Tracker.fixed(learningRate))
                        .build()));
        NDManager outer = features.getManager();
        try (Model model = Model.newInstance(name)) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(features.getShape());
                long start = System.nanoTime();
                ProgressBar bar = steps > 0 ? new ProgressBar(name, steps) : null;
                float lastLoss = Float.NaN;
                for (int step = 0; step < steps; step++) {
                    try (NDManager scope = outer.newSubManager();
                            GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray out = trainer.forward(new NDList(features)).singletonOrThrow();
                        out.attach(scope);
                        NDArray value = loss.evaluate(
                                new NDList(labels), new NDList(predictionShape.apply(out)));
                        value.attach(scope);
                        collector.backward(value);
                        lastLoss = value.getFloat();
                    }
                    trainer.step();
                    bar.update(step + 1, String.format(java.util.Locale.ROOT, "loss %.4f", lastLoss));
                }
                NDArray out = trainer.evaluate(new NDList(features)).singletonOrThrow();
                out.attach(outer);
                Map<String, float[]> parameters = new LinkedHashMap<>();
                block.getParameters().forEach(
                        p -> parameters.put(p.getKey(), p.getValue().getArray().toFloatArray()));
                return new Outcome(out, lastLoss, parameters, (System.nanoTime() - start) / 1e9);
            }
        }
    }

    /**
     * The result of a run.
     *
     * @param output the model's output on the features after training
     * @param finalLoss the loss of the last step
     * @param parameters the trained parameters' values by name, copied before the model closed
     * @param seconds wall time of the training steps
     */
    record Outcome(
            NDArray output, float finalLoss, Map<String, float[]> parameters, double seconds) {}

    /**
     * A shape helper: the output with a class axis of size 1 inserted at axis 1.
     *
     * @return the function
     */
    static Function<NDArray, NDArray> withClassAxis() {
        return x -> x.expandDims(1);
    }

    /**
     * The identity shape helper.
     *
     * @return the function
     */
    static Function<NDArray, NDArray> unchanged() {
        return x -> x;
    }

    /**
     * Checks a shape.
     *
     * @param array the array
     * @param expected the expected shape
     */
    static void requireShape(NDArray array, Shape expected) {
        if (!array.getShape().equals(expected)) {
            throw new IllegalStateException("shape " + array.getShape() + ", expected " + expected);
        }
    }
}
