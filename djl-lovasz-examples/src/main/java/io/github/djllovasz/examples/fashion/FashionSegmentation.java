package io.github.djllovasz.examples.fashion;

import ai.djl.TrainingDivergedException;
import ai.djl.engine.Engine;
import io.github.djllovasz.host.OneDnnGuard;
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
 * per-class IoU, mIoU^D, mIoU^I, mIoU^C, the worst 10 % of scenes' mIoU^I, pixel accuracy, step
 * and wall time, a line per measure naming the recipe that wins it, and writes to the output
 * folder {@code miou_per_epoch.png}, {@code test_scenes.png} and {@code results.md}. Run with
 * {@code --help} for the flags.
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
        if (OneDnnGuard.relaunched(FashionSegmentation.class, args)) {
            return;
        }
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
        Report report = run(options, System.out);
        if (!report.stopped().isEmpty()) {
            throw new IllegalStateException(report.stopped().size() + " of "
                    + options.orderedRecipes().size() + " recipes stopped on a non-finite loss or"
                    + " gradient; the table holds the others (see the lines starting with '!!')");
        }
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
        return run(options, out, new RecipeTrainer(options, out)::run);
    }

    /** Trains one recipe; the main job's is {@link RecipeTrainer#run}. */
    @FunctionalInterface
    interface RecipeRunner {
        RunResult run(Recipe recipe, SceneTensors train, SceneTensors test, int[] samples)
                throws IOException, TranslateException;
    }

    /**
     * Runs the example with a given way of training one recipe. A recipe whose training stops on
     * a non-finite loss or gradient ({@link TrainingDivergedException}) is reported with the
     * likely cause and how to rerun it, and the others go on; the table and pictures hold the
     * recipes that finished.
     *
     * @throws IllegalStateException if no recipe finished
     */
    static Report run(TrainingOptions options, PrintStream out, RecipeRunner runner)
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
                SceneComposer.CLASSES, 100 * testScenes.backgroundFraction());
        out.printf(Locale.ROOT,
                "budget: %d epochs x %d scenes, batch %d, Adam lr %s (x%s for the last %d epochs),"
                        + " lambda %s, seed %d, engine %s %s, %d CPU threads%n",
                options.epochs(), options.trainScenes(), options.batchSize(),
                options.learningRate(), options.lrDecay(), options.fineTuneEpochs(),
                options.lambda(), options.seed(), Engine.getInstance().getEngineName(),
                Engine.getInstance().getVersion(), Runtime.getRuntime().availableProcessors());
        out.println(OneDnnGuard.decide().line());
        int[] samples = new int[Math.min(SAMPLE_SCENES, testScenes.count())];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = i;
        }
        List<RunResult> results = new ArrayList<>();
        List<String> stopped = new ArrayList<>();
        float[] moments = SceneTensors.moments(trainScenes);
        try (NDManager manager = NDManager.newBaseManager()) {
            SceneTensors train = SceneTensors.of(manager, trainScenes, moments[0], moments[1]);
            SceneTensors test = SceneTensors.of(manager, testScenes, moments[0], moments[1]);
            for (Recipe recipe : options.orderedRecipes()) {
                try {
                    results.add(runner.run(recipe, train, test, samples));
                } catch (TrainingDivergedException e) {
                    String line = "!! " + recipe.label() + " stopped: " + e.getMessage()
                            + " To rerun it alone: the same command with --runs " + recipe.name()
                            + ".";
                    out.println();
                    out.println(line);
                    stopped.add(line);
                }
            }
        }
        if (results.isEmpty()) {
            throw new IllegalStateException("every recipe stopped on a non-finite loss or gradient:\n"
                    + String.join("\n", stopped));
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
        stopped.forEach(out::println);
        Path chart = MeanIouChart.write(
                results, options.fineTuneEpochs() > 0 ? options.switchEpoch() : 0,
                options.output().resolve("miou_per_epoch.png"));
        Path grid = SceneGrid.write(
                testScenes, samples, results, options.output().resolve("test_scenes.png"));
        Path markdown = options.output().resolve("results.md");
        Files.writeString(markdown,
                "Data: Fashion-MNIST " + data.description() + "\n\n" + table + "\n" + summary
                        + "\n" + stopped.stream().map(line -> "\n" + line + "\n").reduce("", String::concat),
                StandardCharsets.UTF_8);
        out.println("wrote " + chart.toAbsolutePath());
        out.println("wrote " + grid.toAbsolutePath());
        out.println("wrote " + markdown.toAbsolutePath());
        out.printf(Locale.ROOT, "total time %.0f s%n", (System.nanoTime() - start) / 1e9);
        return new Report(results, List.copyOf(stopped), chart, grid, markdown);
    }

    private static String summary(List<RunResult> results, TrainingOptions options) {
        RunResult ce = results.stream().filter(r -> r.recipe() == Recipe.CROSS_ENTROPY).findFirst().orElse(null);
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

    /**
     * What the example produced.
     *
     * @param results the runs that finished
     * @param stopped one line per recipe that stopped on a non-finite loss or gradient
     * @param chart the mIoU-per-epoch PNG
     * @param grid the test-scenes PNG
     * @param markdown the results table
     */
    public record Report(List<RunResult> results, List<String> stopped, Path chart, Path grid, Path markdown) {}
}
