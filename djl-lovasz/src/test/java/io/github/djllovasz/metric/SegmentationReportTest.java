package io.github.djllovasz.metric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import io.github.djllovasz.testutil.TestArrays;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every figure of {@link SegmentationReport} against a reference computed here by plain loops over
 * the label and prediction arrays, for each {@link EmptyPolicy} and with and without the
 * background.
 */
class SegmentationReportTest {

    @RegisterExtension static final TestArrays arrays = TestArrays.perClass();

    static final double EPS = 1e-12;
    static final int C = 5;

    // Five classes, two 3×4 images. Class 2 is only in the ground truth of A (never predicted:
    // precision 0/0), class 3 only predicted in B (never in the ground truth: recall 0/0), class 4
    // nowhere (IoU, Dice, precision and recall all 0/0). Per image, class 2 is absent from B and
    // class 3 from A.
    //   A truth  0 0 0 1    pred  0 0 1 1      B truth  1 1 1 1    pred  1 1 3 0
    //            0 0 1 1          0 1 1 1               1 1 0 0          1 1 0 0
    //            2 2 2 1          0 0 0 1               0 0 0 0          0 3 0 0
    static final int[] TRUTH_A = {0, 0, 0, 1, 0, 0, 1, 1, 2, 2, 2, 1};
    static final int[] PRED_A = {0, 0, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1};
    static final int[] TRUTH_B = {1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
    static final int[] PRED_B = {1, 1, 3, 0, 1, 1, 0, 0, 0, 3, 0, 0};

    /** The reference: I, T (truth pixels), P (predicted pixels) per image and class, by loops. */
    static final class Reference {
        final long[][] inter;
        final long[][] truth;
        final long[][] pred;
        final EmptyPolicy policy;
        final int first;

        Reference(int[][] truths, int[][] preds, EmptyPolicy policy, boolean background) {
            inter = new long[truths.length][C];
            truth = new long[truths.length][C];
            pred = new long[truths.length][C];
            for (int b = 0; b < truths.length; b++) {
                for (int i = 0; i < truths[b].length; i++) {
                    truth[b][truths[b][i]]++;
                    pred[b][preds[b][i]]++;
                    if (truths[b][i] == preds[b][i]) {
                        inter[b][truths[b][i]]++;
                    }
                }
            }
            this.policy = policy;
            this.first = background ? 0 : 1;
        }

        double ratio(double num, double den) {
            if (den != 0) {
                return num / den;
            }
            return policy == EmptyPolicy.SKIP ? Double.NaN : policy == EmptyPolicy.ONE ? 1 : 0;
        }

        long total(long[][] perImage, int c) {
            long sum = 0;
            for (long[] row : perImage) {
                sum += row[c];
            }
            return sum;
        }

        /** IoU (dice false) or Dice of image b, or of the data set for b = -1. */
        double overlap(int b, int c, boolean dice) {
            double i = b < 0 ? total(inter, c) : inter[b][c];
            double t = b < 0 ? total(truth, c) : truth[b][c];
            double p = b < 0 ? total(pred, c) : pred[b][c];
            return dice ? ratio(2 * i, t + p) : ratio(i, t + p - i);
        }

        double precision(int c) {
            return ratio(total(inter, c), total(pred, c));
        }

        double recall(int c) {
            return ratio(total(inter, c), total(truth, c));
        }

        /** The plain mean of the values of classes first..C-1 that are not NaN. */
        double mean(double[] perClass) {
            double sum = 0;
            int n = 0;
            for (int c = first; c < C; c++) {
                if (!Double.isNaN(perClass[c])) {
                    sum += perClass[c];
                    n++;
                }
            }
            return n == 0 ? Double.NaN : sum / n;
        }

        double[] perClass(java.util.function.IntToDoubleFunction f) {
            double[] v = new double[C];
            for (int c = 0; c < C; c++) {
                v[c] = f.applyAsDouble(c);
            }
            return v;
        }

        double[] imageMeans(boolean dice) {
            double[] means = new double[inter.length];
            for (int b = 0; b < inter.length; b++) {
                int image = b;
                means[b] = mean(perClass(c -> overlap(image, c, dice)));
            }
            return means;
        }

        double[] classImageMeans(boolean dice) {
            return perClass(c -> {
                double sum = 0;
                int n = 0;
                for (int b = 0; b < inter.length; b++) {
                    double v = overlap(b, c, dice);
                    if (!Double.isNaN(v)) {
                        sum += v;
                        n++;
                    }
                }
                return n == 0 ? Double.NaN : sum / n;
            });
        }
    }

    static SegmentationCounts countAB() {
        return SegmentationCounts.count(C,
                new NDList(MeanIoUTest.labels(arrays.manager(), TRUTH_A, TRUTH_B)),
                new NDList(MeanIoUTest.logits(arrays.manager(), C, PRED_A, PRED_B)));
    }

    static SegmentationReport report(SegmentationCounts counts, EmptyPolicy policy, boolean background) {
        return SegmentationReport.builder().setCounts(counts).optEmptyPolicy(policy)
                .optIncludeBackground(background).build();
    }

    @Test
    void referenceItselfMatchesFractionsWorkedOutByHand() {
        // A: truth 0 (5 px: r0c0 r0c1 r0c2 r1c0 r1c1) predicted 0 0 1 0 1 → I_0 = 3, T_0 = 5;
        // predicted 0 at r0c0 r0c1 r1c0 r2c0 r2c1 r2c2 → P_0 = 6. Truth 1 (4 px) all predicted 1.
        Reference ref = new Reference(new int[][] {TRUTH_A, TRUTH_B}, new int[][] {PRED_A, PRED_B},
                EmptyPolicy.SKIP, true);
        assertArrayEquals(new long[] {3, 4, 0, 0, 0}, ref.inter[0]);
        assertArrayEquals(new long[] {5, 4, 3, 0, 0}, ref.truth[0]);
        assertArrayEquals(new long[] {6, 6, 0, 0, 0}, ref.pred[0]);
        assertEquals(3.0 / 8, ref.overlap(0, 0, false), EPS);   // 3 / (5 + 6 − 3)
        assertEquals(6.0 / 11, ref.overlap(0, 0, true), EPS);   // 2·3 / (5 + 6)
        assertTrue(Double.isNaN(ref.overlap(0, 3, false)));     // class 3 absent from A
        // B: class 3 predicted twice, never true: IoU 0, recall 0/0
        assertEquals(0.0, ref.overlap(1, 3, false), EPS);
        assertTrue(Double.isNaN(ref.recall(3)));
        assertTrue(Double.isNaN(ref.precision(2)));
        assertEquals(0.0, ref.recall(2), EPS);
    }

    @Test
    void everyFigureMatchesTheReferenceUnderEveryPolicyAndBackgroundSetting() {
        SegmentationCounts counts = countAB();
        for (EmptyPolicy policy : EmptyPolicy.values()) {
            for (boolean background : new boolean[] {true, false}) {
                String what = policy + ", background " + background;
                Reference ref = new Reference(new int[][] {TRUTH_A, TRUTH_B}, new int[][] {PRED_A, PRED_B},
                        policy, background);
                SegmentationReport report = report(counts, policy, background);
                double[] iou = ref.perClass(c -> ref.overlap(-1, c, false));
                double[] dice = ref.perClass(c -> ref.overlap(-1, c, true));
                double[] precision = ref.perClass(ref::precision);
                double[] recall = ref.perClass(ref::recall);
                assertArrayEquals(iou, report.getClassIoU(), EPS, what);
                assertArrayEquals(dice, report.getClassDice(), EPS, what);
                assertArrayEquals(precision, report.getClassPrecision(), EPS, what);
                assertArrayEquals(recall, report.getClassRecall(), EPS, what);
                assertEquals(ref.mean(iou), report.getMeanIoU(), EPS, what);
                assertEquals(ref.mean(dice), report.getMeanDice(), EPS, what);
                assertEquals(ref.mean(precision), report.getMeanPrecision(), EPS, what);
                assertEquals(ref.mean(recall), report.getMeanRecall(), EPS, what);
                for (SegmentationReport.Overlap overlap : SegmentationReport.Overlap.values()) {
                    boolean d = overlap == SegmentationReport.Overlap.DICE;
                    String figure = what + ", " + overlap;
                    double[] images = ref.imageMeans(d);
                    double[] classes = ref.classImageMeans(d);
                    assertArrayEquals(images, report.getImageMeans(overlap), EPS, figure);
                    assertEquals((images[0] + images[1]) / 2, report.getPerImageMean(overlap), EPS, figure);
                    assertArrayEquals(classes, report.getClassImageMeans(overlap), EPS, figure);
                    assertEquals(ref.mean(classes), report.getPerClassMean(overlap), EPS, figure);
                    // worst 10 % of 2 images: ⌈0.2⌉ = 1, the smaller; 100 %: both
                    assertEquals(Math.min(images[0], images[1]), report.getWorstImagesMean(overlap, 10), EPS, figure);
                    assertEquals((images[0] + images[1]) / 2, report.getWorstImagesMean(overlap, 100), EPS, figure);
                }
                // pixel accuracy: the trace over all 24 pixels, whatever the settings: A 7, B 9 right
                assertEquals(16.0 / 24, report.getPixelAccuracy(), EPS, what);
            }
        }
    }

    @Test
    void policiesChangeOnlyTheEmptyRatios() {
        SegmentationCounts counts = countAB();
        SegmentationReport skip = report(counts, EmptyPolicy.SKIP, true);
        SegmentationReport one = report(counts, EmptyPolicy.ONE, true);
        SegmentationReport zero = report(counts, EmptyPolicy.ZERO, true);
        // class 4 is absent from the whole set: NaN, 1, 0 in every per-class array
        assertTrue(Double.isNaN(skip.getClassIoU()[4]));
        assertEquals(1.0, one.getClassIoU()[4]);
        assertEquals(0.0, zero.getClassDice()[4]);
        assertEquals(1.0, one.getClassPrecision()[2]);  // never predicted
        assertEquals(0.0, zero.getClassRecall()[3]);    // never in the truth
        // SKIP: the mean over classes 0..3 only; ONE adds a 1, ZERO a 0 for class 4
        double[] iou = skip.getClassIoU();
        double present = (iou[0] + iou[1] + iou[2] + iou[3]) / 4;
        assertEquals(present, skip.getMeanIoU(), EPS);
        assertEquals((4 * present + 1) / 5, one.getMeanIoU(), EPS);
        assertEquals(4 * present / 5, zero.getMeanIoU(), EPS);
        // non-empty ratios are the same under every policy
        assertEquals(iou[1], zero.getClassIoU()[1]);
        assertEquals(skip.getPixelAccuracy(), one.getPixelAccuracy());
        // include_background=false: the same classes but class 0
        SegmentationReport noBackground = report(counts, EmptyPolicy.SKIP, false);
        assertArrayEquals(iou, noBackground.getClassIoU(), "per-class arrays keep class 0");
        assertEquals((iou[1] + iou[2] + iou[3]) / 3, noBackground.getMeanIoU(), EPS);
    }

    @Test
    void pixelAccuracyEdgeCasesAndEmptyCounts() {
        SegmentationReport empty = SegmentationReport.builder().setCounts(new SegmentationCounts(3)).build();
        assertTrue(Double.isNaN(empty.getPixelAccuracy()), "nothing counted: NaN");
        assertTrue(Double.isNaN(empty.getMeanIoU()));
        assertTrue(Double.isNaN(empty.getPerImageMean(SegmentationReport.Overlap.IOU)));
        assertTrue(Double.isNaN(empty.getWorstImagesMean(SegmentationReport.Overlap.DICE, 10)));
        SegmentationReport emptyOne = report(new SegmentationCounts(3), EmptyPolicy.ONE, true);
        assertEquals(1.0, emptyOne.getMeanIoU(), "every class 0/0 counts as 1");
        assertTrue(Double.isNaN(emptyOne.getPerImageMean(SegmentationReport.Overlap.IOU)), "no image: a mean over nothing");
        // every pixel wrong, then every pixel right
        int[] truth = {0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1};
        int[] wrong = {1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0};
        SegmentationCounts bad = SegmentationCounts.count(2,
                new NDList(MeanIoUTest.labels(arrays.manager(), truth)),
                new NDList(MeanIoUTest.logits(arrays.manager(), 2, wrong)));
        SegmentationCounts good = SegmentationCounts.count(2,
                new NDList(MeanIoUTest.labels(arrays.manager(), truth)),
                new NDList(MeanIoUTest.logits(arrays.manager(), 2, truth)));
        assertEquals(0.0, SegmentationReport.builder().setCounts(bad).build().getPixelAccuracy());
        assertEquals(1.0, SegmentationReport.builder().setCounts(good).build().getPixelAccuracy());
        assertEquals(0.5, SegmentationReport.builder().setCounts(good.merge(bad)).build().getPixelAccuracy());
    }

    @Test
    void worstShareOutsideTheRangeIsRejected() {
        SegmentationReport report = report(countAB(), EmptyPolicy.SKIP, true);
        MeanIoUTest.assertMessage("got 0.0", () -> report.getWorstImagesMean(SegmentationReport.Overlap.IOU, 0));
        MeanIoUTest.assertMessage("got 101.0", () -> report.getWorstImagesMean(SegmentationReport.Overlap.DICE, 101));
        MeanIoUTest.assertMessage("got NaN", () -> report.getWorstImagesMean(SegmentationReport.Overlap.IOU, Double.NaN));
    }

    @Test
    void csvHasAHeaderOneRowPerClassAndAMeanRowWithNaNAsEmptyCells(@TempDir Path dir) throws Exception {
        SegmentationCounts counts = countAB();
        SegmentationReport report = SegmentationReport.builder().setCounts(counts)
                .optClassNames(List.of("background", "road", "car, parked", "sky \"blue\"", "void"))
                .build();
        String[] lines = report.toCsv().split("\n", -1);
        assertEquals("class_id,class,tp,fp,fn,support,iou,dice,precision,recall,image_iou,image_dice", lines[0]);
        assertEquals(C + 3, lines.length, "header, 5 classes, mean, and the final line end");
        assertEquals("", lines[C + 2]);
        // class 0: TP = 3 + 5, FP = (6 − 3) + (6 − 5), FN = (5 − 3) + (6 − 5), support 5 + 6
        double[] iou = report.getClassIoU();
        double[] dice = report.getClassDice();
        double[] precision = report.getClassPrecision();
        double[] recall = report.getClassRecall();
        double[] imageIou = report.getClassImageMeans(SegmentationReport.Overlap.IOU);
        double[] imageDice = report.getClassImageMeans(SegmentationReport.Overlap.DICE);
        assertEquals("0,background,8,4,3,11," + iou[0] + "," + dice[0] + "," + precision[0] + ","
                + recall[0] + "," + imageIou[0] + "," + imageDice[0], lines[1]);
        assertEquals(8.0 / 15, iou[0], EPS);
        // names with a comma or quotes are quoted; class 2 has no precision, class 4 nothing at all
        assertTrue(lines[3].startsWith("2,\"car, parked\",0,0,3,3,0.0,0.0,,0.0,"), lines[3]);
        assertTrue(lines[4].startsWith("3,\"sky \"\"blue\"\"\",0,2,0,0,0.0,0.0,0.0,,"), lines[4]);
        assertEquals("4,void,0,0,0,0,,,,,,", lines[5]);
        assertEquals(",mean,,,,," + report.getMeanIoU() + "," + report.getMeanDice() + ","
                + report.getMeanPrecision() + "," + report.getMeanRecall() + ","
                + report.getPerClassMean(SegmentationReport.Overlap.IOU) + ","
                + report.getPerClassMean(SegmentationReport.Overlap.DICE), lines[6]);
        Path file = dir.resolve("report.csv");
        report.writeCsv(file);
        assertEquals(report.toCsv(), new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
    }

    @Test
    void tableIsAlignedAndNamesItsSettings() {
        SegmentationReport report = report(countAB(), EmptyPolicy.ONE, false);
        String table = report.toString();
        String[] lines = table.split("\\R");
        assertTrue(lines[0].contains("5 classes, 2 images, 24 pixels") && lines[0].contains("ONE")
                && lines[0].contains("left out"), lines[0]);
        // header, 5 classes and the mean row: each column ends at the same place in every row
        int width = lines[1].length();
        for (int i = 1; i <= C + 2; i++) {
            assertEquals(width, lines[i].length(), "row " + i + " of\n" + table);
        }
        assertTrue(lines[2].startsWith(" 0  class 0"), lines[2]);
        assertTrue(lines[C + 2].contains("mean (1..C-1)"), lines[C + 2]);
        assertTrue(lines[C + 2].endsWith(String.format(java.util.Locale.ROOT, "%.4f", report.getPerClassMean(SegmentationReport.Overlap.DICE))));
        assertTrue(lines[C + 3].startsWith("pixel accuracy 0.6667"), lines[C + 3]);
        assertTrue(report(countAB(), EmptyPolicy.SKIP, true).toString().contains("NaN"), "SKIP prints NaN");
    }

    @Test
    void builderChecksItsSettings() {
        MeanIoUTest.assertMessage("2 class names [a, b] for counts of 5 classes",
                () -> SegmentationReport.builder().setCounts(countAB()).optClassNames(List.of("a", "b")).build());
        assertThrows(NullPointerException.class, () -> SegmentationReport.builder().build());
        assertThrows(NullPointerException.class, () -> SegmentationReport.builder().optEmptyPolicy(null));
        // the report is a snapshot: later merges do not reach it
        SegmentationCounts counts = countAB();
        SegmentationReport report = SegmentationReport.builder().setCounts(counts).build();
        counts.merge(countAB());
        assertEquals(24L, report.getPixelCount());
        assertEquals(2, report.getImageCount());
    }
}
