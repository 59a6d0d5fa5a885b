package io.github.djllovasz.examples.fashion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import ai.djl.TrainingDivergedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the main example end to end on a tiny budget (2 epochs of 4 steps per run). */
class FashionSegmentationEndToEndTest {

    static TrainingOptions tiny(Path output, EnumSet<Recipe> recipes) {
        return new TrainingOptions(2, 1, 16, 5e-3f, 0.3f, 0.5f, 42, 8, 64, 32, "embedded", output, recipes);
    }

    static FashionSegmentation.Report runTiny(Path output) throws Exception {
        TrainingOptions options = tiny(output, EnumSet.allOf(Recipe.class));
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        FashionSegmentation.Report report;
        try (PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8)) {
            report = FashionSegmentation.run(options, out);
        }
        String printed = text.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("| **mIoU^D** (dataset) |"), printed);
        assertTrue(printed.contains("| mIoU^I (per image) |"), printed);
        assertTrue(printed.contains("| mIoU^C (per class) |"), printed);
        assertTrue(printed.contains("best mIoU^C (per class): "), printed);
        assertTrue(printed.contains("| ms per step |"), printed);
        assertTrue(printed.contains("data: Fashion-MNIST embedded subset"), printed);
        assertTrue(printed.contains("oneDNN guard: "), printed);
        assertTrue(report.stopped().isEmpty(), String.join("\n", report.stopped()));
        return report;
    }

    @Test
    void tinyRunWritesTablesAndPictures(@TempDir Path dir) throws Exception {
        FashionSegmentation.Report report = runTiny(dir);
        assertEquals(Recipe.values().length, report.results().size());
        for (Path file : new Path[] {report.chart(), report.grid()}) {
            assertTrue(Files.size(file) > 1000, file + " is written");
            byte[] head = Arrays.copyOf(Files.readAllBytes(file), 4);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head, file + " is a PNG");
        }
        assertTrue(Files.readString(report.markdown()).contains("| **mIoU^D** (dataset) |"));
        for (RunResult r : report.results()) {
            assertEquals(2, r.testMeanIou().size());
            for (double miou : r.testMeanIou()) {
                assertTrue(Double.isFinite(miou) && miou >= 0 && miou <= 1, r + ": " + miou);
            }
            assertTrue(Double.isFinite(r.meanIou()) && r.meanIou() >= 0 && r.meanIou() <= 1);
            for (double m : new double[] {r.perImageMeanIou(), r.perClassMeanIou(), r.worstMeanIou()}) {
                assertTrue(Double.isFinite(m) && m >= 0 && m <= 1, r.recipe() + ": " + m);
            }
            assertTrue(r.worstMeanIou() <= r.perImageMeanIou(), r.recipe() + ": the worst scenes are below the mean");
            for (double iou : r.classIoU()) {
                assertTrue(Double.isNaN(iou) || (iou >= 0 && iou <= 1));
            }
            // The table's pass and the last epoch's validation use the same weights and metric.
            assertEquals(r.testMeanIou().get(1), r.meanIou(), 1e-6, r.recipe() + ": final = last epoch");
            assertTrue(r.pixelAccuracy() > 0 && r.pixelAccuracy() <= 1, "pixel accuracy " + r.pixelAccuracy());
            assertTrue(r.msPerStep() > 0 && Double.isFinite(r.msPerStep()), "ms per step " + r.msPerStep());
            assertTrue(r.trainLoss().stream().allMatch(Double::isFinite));
            assertTrue(r.wallSeconds() > 0);
            assertEquals(FashionSegmentation.SAMPLE_SCENES, r.samplePredictions().size());
        }
        // same seed and budget: CE and CE → Lovász agree exactly until the switch
        RunResult ce = report.results().get(Recipe.CROSS_ENTROPY.ordinal());
        RunResult ceThen = report.results().get(Recipe.CE_THEN_LOVASZ.ordinal());
        assertEquals(ce.testMeanIou().get(0), ceThen.testMeanIou().get(0), 0.0);
        assertEquals(ce.trainLoss().get(0), ceThen.trainLoss().get(0), 0.0);
    }

    @Test
    void aRecipeThatDivergesIsReportedAndTheOthersAreTabled(@TempDir Path dir) throws Exception {
        TrainingOptions options = tiny(dir, EnumSet.of(Recipe.CROSS_ENTROPY, Recipe.LOVASZ));
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        FashionSegmentation.Report report;
        try (PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8)) {
            RecipeTrainer trainer = new RecipeTrainer(options, out);
            report = FashionSegmentation.run(options, out, (recipe, train, test, samples) -> {
                if (recipe == Recipe.LOVASZ) {
                    throw new TrainingDivergedException("Training stopped at epoch 1, batch 2: the training loss is NaN.");
                }
                return trainer.run(recipe, train, test, samples);
            });
        }
        String printed = text.toString(StandardCharsets.UTF_8);
        assertEquals(1, report.results().size());
        assertEquals(Recipe.CROSS_ENTROPY, report.results().get(0).recipe());
        String line = "!! Lovász stopped: Training stopped at epoch 1, batch 2: the training loss is NaN."
                + " To rerun it alone: the same command with --runs LOVASZ.";
        assertEquals(java.util.List.of(line), report.stopped());
        assertTrue(printed.contains("| class | CE |"), printed);
        assertTrue(printed.indexOf(line) < printed.lastIndexOf(line), "printed when it stops and after the table");
        assertTrue(Files.readString(report.markdown()).contains(line));
        assertTrue(Files.size(report.chart()) > 1000 && Files.size(report.grid()) > 1000);

        TrainingOptions lovaszOnly = tiny(dir, EnumSet.of(Recipe.LOVASZ));
        IllegalStateException none = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> FashionSegmentation.run(lovaszOnly, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        (recipe, train, test, samples) -> {
                            throw new TrainingDivergedException("Training stopped at epoch 1, batch 1: x.");
                        }));
        assertTrue(none.getMessage().startsWith("every recipe stopped on a non-finite loss or gradient:\n!! Lovász stopped:"),
                none.getMessage());
    }
}
