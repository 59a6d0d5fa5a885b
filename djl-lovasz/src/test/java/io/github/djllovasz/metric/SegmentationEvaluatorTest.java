package io.github.djllovasz.metric;

import static io.github.djllovasz.metric.MeanIoUTest.CM_AB;
import static io.github.djllovasz.metric.MeanIoUTest.PRED_A;
import static io.github.djllovasz.metric.MeanIoUTest.PRED_B;
import static io.github.djllovasz.metric.MeanIoUTest.TRUTH_A;
import static io.github.djllovasz.metric.MeanIoUTest.TRUTH_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.github.djllovasz.testutil.TestArrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link MeanDice} and the options every {@link SegmentationEvaluator} shares (empty policy,
 * background, Dice, precision, recall, report, counts), through the builders, against the hand
 * counts of {@link MeanIoUTest}.
 */
class SegmentationEvaluatorTest {

    @RegisterExtension static final TestArrays arrays = TestArrays.perClass();

    static final double EPS = 1e-12;

    private static NDArray logits(int classes, int[]... preds) {
        return MeanIoUTest.logits(arrays.manager(), classes, preds);
    }

    private static NDArray labels(int[]... truths) {
        return MeanIoUTest.labels(arrays.manager(), truths);
    }

    private static <E extends SegmentationEvaluator> E fresh(E evaluator) {
        evaluator.addAccumulator("k");
        return evaluator;
    }

    private static void update(SegmentationEvaluator evaluator, NDArray labels, NDArray logits) {
        evaluator.updateAccumulator("k", new NDList(labels), new NDList(logits));
    }

    @Test
    void meanDiceIsTheMeanOfTwoTpOverRowPlusColumn() {
        // CM_AB = [[4,1,2],[2,8,0],[1,1,5]]: row sums 7 10 7, column sums 7 10 7:
        // Dice = 8/14, 16/20, 10/14 → mean (4/7 + 4/5 + 5/7) / 3 = 73/105.
        MeanDice dice = fresh(MeanDice.builder().setNumClasses(3).build());
        update(dice, labels(TRUTH_A, TRUTH_B), logits(3, PRED_A, PRED_B));
        assertEquals("mDice", dice.getName());
        assertArrayEquals(CM_AB, dice.getConfusionMatrix("k"));
        assertEquals(73.0 / 105, dice.getAccumulator("k"), 1e-7);
        assertEquals(73.0 / 105, dice.getMeanDice("k"), EPS);
        assertArrayEquals(new double[] {4.0 / 7, 4.0 / 5, 5.0 / 7}, dice.getClassDice("k"), EPS);
        assertEquals(73.0 / 135, dice.getMeanIoU("k"), EPS, "the IoU getters work on MeanDice too");
        // evaluate: image B alone, CM_B = [[1,0,1],[1,5,0],[0,1,3]]: Dice 2/4, 10/12, 6/8 → 25/36
        NDArray value = dice.evaluate(new NDList(labels(TRUTH_B)), new NDList(logits(3, PRED_B)));
        assertEquals(25.0 / 36, value.getFloat(), 1e-7);
        assertEquals(73.0 / 105, dice.getAccumulator("k"), 1e-7, "evaluate leaves the accumulators alone");
        // Dice per image: A's per-class Dice 2·3/(5+5), 2·3/(4+4), 2·2/(3+3)
        double imageA = (6.0 / 10 + 6.0 / 8 + 4.0 / 6) / 3;
        double imageB = (2.0 / 4 + 10.0 / 12 + 6.0 / 8) / 3;
        SegmentationReport report = dice.getReport("k");
        assertEquals((imageA + imageB) / 2, report.getPerImageMean(SegmentationReport.Overlap.DICE), EPS);
        assertEquals((imageA + imageB) / 2, report.getPerClassMean(SegmentationReport.Overlap.DICE), EPS,
                "every class in both images");
        dice.resetAccumulator("k");
        assertTrue(Float.isNaN(dice.getAccumulator("k")));
    }

    @Test
    void includeBackgroundFalseLeavesClassZeroOutOfEveryMean() {
        // CM_AB: IoU = 2/5, 2/3, 5/9; without class 0 the mean is (2/3 + 5/9) / 2 = 11/18
        MeanIoU miou = fresh(MeanIoU.builder().setNumClasses(3).optIncludeBackground(false).build());
        update(miou, labels(TRUTH_A, TRUTH_B), logits(3, PRED_A, PRED_B));
        assertEquals(11.0 / 18, miou.getAccumulator("k"), 1e-7);
        assertArrayEquals(new double[] {2.0 / 5, 2.0 / 3, 5.0 / 9}, miou.getClassIoU("k"), EPS);
        // per image: A (3/5 + 1/2) / 2, B (5/7 + 3/5) / 2
        assertArrayEquals(new double[] {(3.0 / 5 + 1.0 / 2) / 2, (5.0 / 7 + 3.0 / 5) / 2},
                miou.getImageMeanIoUs("k"), EPS);
        assertEquals(((3.0 / 5 + 5.0 / 7) / 2 + (1.0 / 2 + 3.0 / 5) / 2) / 2, miou.getPerClassMeanIoU("k"), EPS);
        assertTrue(miou.toString().contains("includeBackground=false, emptyPolicy=SKIP"), miou.toString());
        // a binary model's mean is then the foreground IoU
        MeanIoU binary = fresh(MeanIoU.builder().setNumClasses(1).optIncludeBackground(false).build());
        update(binary, arrays.create(new long[] {1, 1, 0, 0, 0, 0, 0, 0}, 2, 1, 4),
                arrays.create(new double[] {2, -1, 3, -2, -1, -1, -1, -1}, 2, 1, 4));
        assertEquals(1.0 / 3, binary.getForegroundIoU("k"), EPS);
        assertEquals((float) binary.getForegroundIoU("k"), binary.getAccumulator("k"));
        // image 2 has no foreground at all: SKIP leaves it out of mIoU^I
        assertEquals(1.0 / 3, binary.getPerImageMeanIoU("k"), EPS);
    }

    @Test
    void emptyPolicyDecidesWhatAnAbsentClassCounts() {
        // A with 4 classes: class 3 appears nowhere. IoU = 3/7, 3/5, 1/2 and 0/0.
        double present = 3.0 / 7 + 3.0 / 5 + 1.0 / 2;
        double[] expected = {present / 3, (present + 1) / 4, present / 4};
        EmptyPolicy[] policies = {EmptyPolicy.SKIP, EmptyPolicy.ONE, EmptyPolicy.ZERO};
        for (int i = 0; i < policies.length; i++) {
            MeanIoU miou = fresh(MeanIoU.builder().setNumClasses(4).optEmptyPolicy(policies[i]).build());
            update(miou, labels(TRUTH_A), logits(4, PRED_A));
            assertEquals(policies[i], miou.getEmptyPolicy());
            assertEquals(expected[i], miou.getMeanIoU("k"), EPS, policies[i].name());
            assertEquals(expected[i], miou.getAccumulator("k"), 1e-7, policies[i].name());
            assertEquals(expected[i], miou.getPerImageMeanIoU("k"), EPS, "one image: the same");
            assertEquals(expected[i], miou.getPerClassMeanIoU("k"), EPS, "one image: the same");
            assertEquals(new double[] {Double.NaN, 1, 0}[i], miou.getClassIoU("k")[3], policies[i].name());
            assertArrayEquals(new boolean[] {true, true, true, false}, miou.getPresentClasses("k"));
        }
        assertThrows(NullPointerException.class, () -> MeanIoU.builder().optEmptyPolicy(null));
    }

    @Test
    void precisionAndRecallFollowTheMatrixColumnsAndRows() {
        // Ignoring label 2 leaves [[3,1,1],[1,3,0],[0,0,0]]: column sums 4 4 1, row sums 5 4 0.
        // precision 3/4, 3/4, 0/1; recall 3/5, 3/4, 0/0 (no truth of class 2 is counted).
        MeanIoU miou = fresh(MeanIoU.builder().setNumClasses(3).optIgnoreIndex(2).build());
        update(miou, labels(TRUTH_A), logits(3, PRED_A));
        assertArrayEquals(new double[] {0.75, 0.75, 0}, miou.getClassPrecision("k"), EPS);
        assertEquals(0.5, miou.getMeanPrecision("k"), EPS);
        double[] recall = miou.getClassRecall("k");
        assertEquals(0.6, recall[0], EPS);
        assertEquals(0.75, recall[1], EPS);
        assertTrue(Double.isNaN(recall[2]));
        assertEquals((0.6 + 0.75) / 2, miou.getMeanRecall("k"), EPS);
        MeanIoU ones = fresh(MeanIoU.builder().setNumClasses(3).optIgnoreIndex(2).optEmptyPolicy(EmptyPolicy.ONE).build());
        update(ones, labels(TRUTH_A), logits(3, PRED_A));
        assertEquals((0.6 + 0.75 + 1) / 3, ones.getMeanRecall("k"), EPS);
        SegmentationReport report = ones.getReport("k");
        assertEquals(EmptyPolicy.ONE, report.getEmptyPolicy());
        assertArrayEquals(new long[] {3, 3, 0}, report.getTruePositives());
        assertArrayEquals(new long[] {1, 1, 1}, report.getFalsePositives());
        assertArrayEquals(new long[] {2, 1, 0}, report.getFalseNegatives());
        assertArrayEquals(new long[] {5, 4, 0}, report.getSupport());
    }

    @Test
    void countsOfTwoEvaluatorsMergeIntoTheCountsOfOne() {
        // two "devices" each see one image; one evaluator sees both
        MeanDice first = fresh(MeanDice.builder().setNumClasses(3).build());
        MeanDice second = fresh(MeanDice.builder().setNumClasses(3).build());
        MeanIoU both = fresh(MeanIoU.builder().setNumClasses(3).build());
        update(first, labels(TRUTH_A), logits(3, PRED_A));
        update(second, labels(TRUTH_B), logits(3, PRED_B));
        update(both, labels(TRUTH_A, TRUTH_B), logits(3, PRED_A, PRED_B));
        SegmentationCounts merged = first.getCounts("k").merge(second.getCounts("k"));
        assertEquals(both.getCounts("k").toJson(), merged.toJson());
        assertEquals(both.getReport("k").toCsv(),
                SegmentationReport.builder().setCounts(merged).build().toCsv());
        assertEquals(12L, first.getCounts("k").getPixelCount(), "getCounts returns a copy");
    }
}
