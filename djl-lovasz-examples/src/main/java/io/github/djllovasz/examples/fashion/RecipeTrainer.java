package io.github.djllovasz.examples.fashion;

import ai.djl.Model;
import ai.djl.engine.Engine;
import io.github.djllovasz.EpochSwitchLoss;
import io.github.djllovasz.metric.MeanIoU;
import io.github.djllovasz.training.FiniteGradientCheck;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains the segmentation network with one {@link Recipe}: same seed (weights and batch order),
 * same data, same schedule (Adam, learning rate times {@code lrDecay} for the last {@code
 * fineTuneEpochs}) for every recipe; only the loss differs. The held-out scenes are DJL's
 * validation set, measured by the library's {@link MeanIoU}. A non-finite loss or gradient stops
 * the run before the optimizer applies it ({@link FiniteGradientCheck}).
 */
public final class RecipeTrainer {

    /** Batch size of the validation passes (inference only). */
    private static final int VALIDATION_BATCH = 100;

    private final TrainingOptions options;
    private final PrintStream out;

    /**
     * Creates the trainer.
     *
     * @param options the settings
     * @param out where progress lines go (DJL's progress bar writes to standard output)
     */
    public RecipeTrainer(TrainingOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /**
     * Runs one recipe from scratch.
     *
     * @param recipe the recipe
     * @param train the training scenes
     * @param test the held-out scenes
     * @param samples indices of test scenes whose predictions are kept for the picture
     * @return the result
     * @throws IOException if the dataset fails
     * @throws TranslateException if a batch fails
     */
    public RunResult run(Recipe recipe, SceneTensors train, SceneTensors test, int[] samples)
            throws IOException, TranslateException {
        Engine.getInstance().setRandomSeed((int) options.seed());
        int size = train.scenes().size();
        int stepsPerEpoch = (train.scenes().count() + options.batchSize() - 1) / options.batchSize();

        Loss loss = recipe.loss(options.epochs(), options.fineTuneEpochs(), options.lambda());
        MeanIoU miou = MeanIoU.builder().setNumClasses(SceneComposer.CLASSES).build();
        EpochReporter reporter = new EpochReporter(recipe.label(), loss, miou, options.epochs(), out);
        StepTimer steps = new StepTimer();
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                .optOptimizer(Optimizer.adam().optLearningRateTracker(schedule(stepsPerEpoch)).build())
                .addEvaluator(miou)
                .addTrainingListeners(TrainingListener.Defaults.logging())
                .addTrainingListeners(reporter, steps, new FiniteGradientCheck());
        if (loss instanceof EpochSwitchLoss) {
            config.addTrainingListeners(((EpochSwitchLoss) loss).listener());
        }
        ArrayDataset trainSet = new ArrayDataset.Builder()
                .setData(train.images())
                .optLabels(train.labels())
                .setSampling(options.batchSize(), true, true)
                .build();
        ArrayDataset testSet = new ArrayDataset.Builder()
                .setData(test.images())
                .optLabels(test.labels())
                .setSampling(VALIDATION_BATCH, false)
                .build();
        out.printf("%n== %s: %s ==%n", recipe.label(),
                recipe.describe(options.epochs(), options.fineTuneEpochs(), options.lambda()));
        long start = System.nanoTime();
        try (Model model = Model.newInstance("fashion-" + recipe.name())) {
            model.setBlock(SegmentationNet.build(SceneComposer.CLASSES, options.width()));
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.setMetrics(new Metrics());
                trainer.initialize(new Shape(options.batchSize(), 1, size, size));
                EasyTrain.fit(trainer, options.epochs(), trainSet, testSet);
                double seconds = (System.nanoTime() - start) / 1e9;
                // DJL resets the validation accumulator after each epoch: one more pass over the
                // held-out scenes with the final weights fills it for the per-class table.
                EasyTrain.evaluateDataset(trainer, testSet);
                String key = EvaluatorTrainingListener.VALIDATE_EPOCH;
                return new RunResult(
                        recipe,
                        reporter.testMeanIou(),
                        reporter.trainLoss(),
                        miou.getClassIoU(key),
                        miou.getAccumulator(key),
                        miou.getPerImageMeanIoU(key),
                        miou.getPerClassMeanIoU(key),
                        miou.getWorstImagesMeanIoU(key, RunResult.WORST_PERCENT),
                        miou.getPixelAccuracy(key),
                        steps.medianMillis(),
                        seconds,
                        predictions(trainer, test, samples));
            }
        }
    }

    /** The predicted class (arg-max over the class axis) of each pixel of the sample scenes, in inference mode. */
    private static List<int[]> predictions(Trainer trainer, SceneTensors test, int[] samples) {
        List<int[]> result = new ArrayList<>();
        for (int index : samples) {
            try (NDManager scope = test.images().getManager().newSubManager()) {
                NDArray image = test.images().get(new NDIndex("{}:{}", index, index + 1));
                image.attach(scope);
                NDArray logits = trainer.evaluate(new NDList(image)).singletonOrThrow();
                logits.attach(scope);
                result.add(logits.argMax(1).toType(DataType.INT32, false).toIntArray());
            }
        }
        return result;
    }

    private Tracker schedule(int stepsPerEpoch) {
        if (options.fineTuneEpochs() == 0 || options.switchEpoch() == 0) {
            return Tracker.fixed(options.learningRate());
        }
        float base = options.learningRate();
        float decayed = base * options.lrDecay();
        int switchStep = options.switchEpoch() * stepsPerEpoch;
        return numUpdate -> numUpdate <= switchStep ? base : decayed;
    }
}
