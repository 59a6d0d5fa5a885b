package io.github.djllovasz.examples.fashion;

import ai.djl.engine.Engine;
import io.github.djllovasz.examples.fashion.SceneComposer.Scenes;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The main example: semantic segmentation of Fashion-MNIST scenes (2–4 clothing photographs on a
 * 64 × 64 canvas, 11 classes), trained five ways with the same seed and budget — cross-entropy,
 * Lovász-Softmax, cross-entropy then Lovász fine-tuning, CE + λ·Lovász, and label-smoothed CE +
 * Jaccard metric loss (soft targets) — and compared on held-out scenes built from Fashion-MNIST's
 * test images.
 *
 * <p>Prints DJL's progress bar and one line per epoch (loss, train and test mIoU), then a table of
 * per-class IoU, mIoU^D, mIoU^I, mIoU^C, the worst scenes' mIoU and wall time, a line per measure
 * naming the recipe that wins it, and writes to the output folder {@code miou_per_epoch.png},
 * {@code test_scenes.png} and {@code results.md}. Run with {@code --help} for the flags.
 */
public final class FashionSegmentation {

    /** Number of test scenes drawn in the picture. */
    static final int SAMPLE_SCENES = 4;

    private FashionSegmentation() {}

    /**
     * Runs the example.
     *
     * @param args flags, see {@link TrainingOptions#usage()}
     * @throws IOException if data or output fail
     * @throws TranslateException if a batch fails
     */
    public static void main(String[] args) throws IOException, TranslateException {
        TrainingOptions options;
        try {
            options = TrainingOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println();
            System.err.println(TrainingOptions.usage());
            throw e;
        }
        if (options == null) {
            System.out.println(TrainingOptions.usage());
            return;
        }
        run(options, System.out);
    }

    /**
     * Runs the example with given options.
     *
     * @param options the settings
     * @param out where to print
     * @return the report
     * @throws IOException if data or output fail
     * @throws TranslateException if a batch fails
     */
    public static Report run(TrainingOptions options, PrintStream out)
            throws IOException, TranslateException {
        System.setProperty("java.awt.headless", "true");
        long start = System.nanoTime();
        FashionMnist data = FashionMnist.load(options.data());
        out.println("data: Fashion-MNIST " + data.description());
        if (options.data().equals("embedded")) {
            Optional<Path> debian = FashionMnist.findDebianDirectory();
            debian.ifPresent(dir -> out.println(
                    "      (the full set is installed at " + dir + "; use --data debian)"));
        }
        SceneComposer composer = SceneComposer.standard();
        Scenes trainScenes = composer.compose(
                data.train(), data.trainLabels(), options.trainScenes(), options.seed());
        Scenes testScenes = composer.compose(
                data.test(), data.testLabels(), options.testScenes(), options.seed() + 1);
        out.printf(Locale.ROOT,
                "scenes: %d train (from the train split), %d held-out test (from the test split),"
                        + " %d x %d, %d-%d items, %d classes; background %.0f %% of pixels%n",
                trainScenes.count(), testScenes.count(), composer.size(), composer.size(), 2, 4,
                SceneComposer.CLASSES, 100 * testScenes.classFrequencies()[0]);
        out.printf(Locale.ROOT,
                "budget: %d epochs x %d scenes, batch %d, Adam lr %s (x%s for the last %d epochs),"
                        + " lambda %s, seed %d, engine %s %s, %d CPU threads%n",
                options.epochs(), options.trainScenes(), options.batchSize(),
                options.learningRate(), options.lrDecay(), options.fineTuneEpochs(),
                options.lambda(), options.seed(), Engine.getInstance().getEngineName(),
                Engine.getInstance().getVersion(), Runtime.getRuntime().availableProcessors());
        int[] samples = new int[Math.min(SAMPLE_SCENES, testScenes.count())];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = i;
        }
        List<RunResult> results = new ArrayList<>();
        float[] moments = SceneTensors.moments(trainScenes);
        try (NDManager manager = NDManager.newBaseManager()) {
            SceneTensors train = SceneTensors.of(manager, trainScenes, moments[0], moments[1]);
            SceneTensors test = SceneTensors.of(manager, testScenes, moments[0], moments[1]);
            RecipeTrainer trainer = new RecipeTrainer(options, out);
            for (Recipe recipe : options.orderedRecipes()) {
                results.add(trainer.run(recipe, train, test, samples));
            }
        }
        Files.createDirectories(options.output());
        String table = ResultsTable.markdown(results);
        String summary = summary(results, options);
        out.println();
        out.println("Held-out IoU (%) per class, " + testScenes.count() + " test scenes:");
        out.println();
        out.print(table);
        out.println();
        out.println(summary);
        Path chart = MeanIouChart.write(
                results, options.fineTuneEpochs() > 0 ? options.switchEpoch() : 0,
                options.output().resolve("miou_per_epoch.png"));
        Path grid = SceneGrid.write(
                testScenes, samples, results, options.output().resolve("test_scenes.png"));
        Path markdown = options.output().resolve("results.md");
        Files.writeString(markdown,
                "Data: Fashion-MNIST " + data.description() + "\n\n" + table + "\n" + summary
                        + "\n", StandardCharsets.UTF_8);
        out.println("wrote " + chart.toAbsolutePath());
        out.println("wrote " + grid.toAbsolutePath());
        out.println("wrote " + markdown.toAbsolutePath());
        out.printf(Locale.ROOT, "total time %.0f s%n", (System.nanoTime() - start) / 1e9);
        return new Report(results, chart, grid, markdown, data.description());
    }

    private static String summary(List<RunResult> results, TrainingOptions options) {
        RunResult ce = find(results, Recipe.CROSS_ENTROPY);
        StringBuilder text = new StringBuilder();
        for (RunResult r : results) {
            if (ce != null && r != ce) {
                text.append(String.format(Locale.ROOT,
                        "%s vs CE: mIoU %+.1f points (%s vs %s %%), step time x%.2f (%.0f vs %.0f"
                                + " ms, median after the first epoch), seed %d%n",
                        r.recipe().label(), 100 * (r.meanIou() - ce.meanIou()),
                        ResultsTable.percent(r.meanIou()), ResultsTable.percent(ce.meanIou()),
                        r.msPerStep() / ce.msPerStep(), r.msPerStep(), ce.msPerStep(),
                        options.seed()));
            }
        }
        text.append(winners(results));
        return text.toString().strip();
    }

    /** One line per measure: the recipe with the highest value (ties: every one of them). */
    private static String winners(List<RunResult> results) {
        StringBuilder text = new StringBuilder();
        for (ResultsTable.Measure m : ResultsTable.MEASURES) {
            double best = results.stream().mapToDouble(m.value()).max().orElse(Double.NaN);
            List<String> winners = new ArrayList<>();
            for (RunResult r : results) {
                if (ResultsTable.percent(m.value().applyAsDouble(r)).equals(ResultsTable.percent(best))) {
                    winners.add(r.recipe().label());
                }
            }
            text.append(String.format(Locale.ROOT, "best %s: %s (%s %%)%n",
                    m.name(), String.join(", ", winners), ResultsTable.percent(best)));
        }
        return text.toString();
    }

    private static RunResult find(List<RunResult> results, Recipe recipe) {
        return results.stream().filter(r -> r.recipe() == recipe).findFirst().orElse(null);
    }

    /**
     * What the example produced.
     *
     * @param results the runs
     * @param chart the mIoU-per-epoch PNG
     * @param grid the test-scenes PNG
     * @param markdown the results table
     * @param data the description of the data used
     */
    public record Report(
            List<RunResult> results, Path chart, Path grid, Path markdown, String data) {}
}
