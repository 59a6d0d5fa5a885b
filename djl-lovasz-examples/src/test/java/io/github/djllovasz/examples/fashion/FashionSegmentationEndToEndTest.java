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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the main example end to end on a tiny budget (2 epochs of 4 steps per run). */
class FashionSegmentationEndToEndTest {

    static FashionSegmentation.Report runTiny(Path output) throws Exception {
        TrainingOptions options = new TrainingOptions(
                2, 1, 16, 5e-3f, 0.3f, 0.5f, 42, 8, 64, 32, "embedded", output,
                EnumSet.allOf(Recipe.class));
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
}
