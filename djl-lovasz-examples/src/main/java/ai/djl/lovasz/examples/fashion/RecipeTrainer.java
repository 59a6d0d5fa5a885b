package ai.djl.lovasz.examples.fashion;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.lovasz.examples.losses.PhasedLoss;
import ai.djl.lovasz.examples.metrics.MeanIouEvaluator;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.DivergenceCheckTrainingListener;
import ai.djl.training.listener.EpochTrainingListener;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.listener.LoggingTrainingListener;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.PrintStream;

/**
 * Trains the segmentation network with one {@link Recipe}: same seed (weights and batch order),
 * same data, same schedule (Adam, learning rate times {@code lrDecay} for the last {@code
 * fineTuneEpochs}) for every recipe; only the loss differs.
 */
public final class RecipeTrainer {

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
        int classes = SceneComposer.CLASSES;
        int size = train.scenes().size();
        PhasedLoss loss = recipe.loss(options.epochs(), options.fineTuneEpochs(), options.lambda());
        MeanIouEvaluator trainIou = new MeanIouEvaluator("mIoU", classes, null);
        int stepsPerEpoch = (train.scenes().count() + options.batchSize() - 1) / options.batchSize();
        EpochReporter reporter = new EpochReporter(
                recipe.label(), loss, trainIou, test, classes, options.epochs(), out);
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                .optOptimizer(Optimizer.adam().optLearningRateTracker(schedule(stepsPerEpoch)).build())
                .addEvaluator(trainIou)
                .addTrainingListeners(
                        new EpochTrainingListener(),
                        new EvaluatorTrainingListener(),
                        new DivergenceCheckTrainingListener(),
                        new LoggingTrainingListener(),
                        reporter);
        ArrayDataset dataset = new ArrayDataset.Builder()
                .setData(train.images())
                .optLabels(train.labels())
                .setSampling(options.batchSize(), true, true)
                .build();
        out.printf("%n== %s: %s ==%n", recipe.label(),
                recipe.describe(options.epochs(), options.fineTuneEpochs(), options.lambda()));
        long start = System.nanoTime();
        try (Model model = Model.newInstance("fashion-" + recipe.name())) {
            model.setBlock(SegmentationNet.build(classes, options.width()));
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.setMetrics(new Metrics());
                trainer.initialize(new Shape(options.batchSize(), 1, size, size));
                EasyTrain.fit(trainer, options.epochs(), dataset, null);
                double seconds = (System.nanoTime() - start) / 1e9;
                return new RunResult(
                        recipe,
                        reporter.testMeanIou(),
                        reporter.trainLoss(),
                        reporter.lastCounts(),
                        seconds,
                        SegmentationEvaluation.predictions(trainer, test, samples));
            }
        }
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
