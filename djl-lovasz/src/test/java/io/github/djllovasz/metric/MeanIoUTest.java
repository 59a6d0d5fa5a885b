package io.github.djllovasz.metric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.djllovasz.testutil.LiveArrays;
import io.github.djllovasz.testutil.TestArrays;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link MeanIoU} against confusion matrices counted by hand. */
class MeanIoUTest {

    // Image A (3×4), ground truth and argmax prediction:
    //   truth  0 0 0 1      pred  0 0 1 1
    //          0 0 1 1            0 2 1 1
    //          2 2 2 1            2 2 0 0
    // Counting pixel by pixel, n[truth][pred]:
    //   truth 0 (5 px): pred 0 ×3 (r0c0 r0c1 r1c0), pred 1 ×1 (r0c2), pred 2 ×1 (r1c1)
    //   truth 1 (4 px): pred 1 ×3 (r0c3 r1c2 r1c3), pred 0 ×1 (r2c3)
    //   truth 2 (3 px): pred 2 ×2 (r2c0 r2c1),      pred 0 ×1 (r2c2)
    // IoU_0 = 3 / (3 + FP 2 + FN 2) = 3/7, IoU_1 = 3 / (3 + 1 + 1) = 3/5, IoU_2 = 2 / (2 + 1 + 1)
    // = 1/2, mIoU = (3/7 + 3/5 + 1/2) / 3 = 107/210.
    static final int[] TRUTH_A = {0, 0, 0, 1, 0, 0, 1, 1, 2, 2, 2, 1};
    static final int[] PRED_A = {0, 0, 1, 1, 0, 2, 1, 1, 2, 2, 0, 0};
    static final long[][] CM_A = {{3, 1, 1}, {1, 3, 0}, {1, 0, 2}};

    // Image B (3×4):
    //   truth  1 1 1 1      pred  1 1 1 0
    //          1 1 2 2            1 1 2 2
    //          0 0 2 2            0 2 2 1
    //   truth 0: pred 0 ×1, pred 2 ×1;  truth 1: pred 1 ×5, pred 0 ×1;  truth 2: pred 2 ×3, pred 1 ×1
    // IoU = 1/3, 5/7, 3/5.
    static final int[] TRUTH_B = {1, 1, 1, 1, 1, 1, 2, 2, 0, 0, 2, 2};
    static final int[] PRED_B = {1, 1, 1, 0, 1, 1, 2, 2, 0, 2, 2, 1};
    static final long[][] CM_B = {{1, 0, 1}, {1, 5, 0}, {0, 1, 3}};

    // A and B together: [[4,1,2],[2,8,0],[1,1,5]]; IoU_0 = 4/(4+3+3) = 2/5, IoU_1 = 8/(8+2+2) = 2/3,
    // IoU_2 = 5/(5+2+2) = 5/9, mIoU = (2/5 + 2/3 + 5/9) / 3 = 73/135.
    static final long[][] CM_AB = {{4, 1, 2}, {2, 8, 0}, {1, 1, 5}};

    static final double EPS = 1e-12;
    @RegisterExtension static final TestArrays arrays = TestArrays.perClass();

    /** Logits [B, C, H, 4] whose argmax over axis 1 is {@code preds[b]} (row-major pixels). */
    static NDArray logits(NDManager m, int classes, int[]... preds) {
        int pixels = preds[0].length;
        float[] values = new float[preds.length * classes * pixels];
        for (int b = 0; b < preds.length; b++) {
            for (int c = 0; c < classes; c++) {
                for (int i = 0; i < pixels; i++) {
                    values[(b * classes + c) * pixels + i] =
                            preds[b][i] == c ? 1.5f + 0.1f * i : -0.25f * c - 0.01f * i;
                }
            }
        }
        return m.create(values, new Shape(preds.length, classes, pixels / 4, 4));
    }

    /** int64 labels [B, H, 4]. */
    static NDArray labels(NDManager m, int[]... truths) {
        long[] values = new long[truths.length * truths[0].length];
        for (int b = 0; b < truths.length; b++) {
            for (int i = 0; i < truths[b].length; i++) {
                values[b * truths[b].length + i] = truths[b][i];
            }
        }
        return m.create(values, new Shape(truths.length, truths[0].length / 4, 4));
    }

    /** {@link #logits(NDManager, int, int[]...)} on the class's manager. */
    static NDArray logits(int classes, int[]... preds) {
        return logits(arrays.manager(), classes, preds);
    }

    /** {@link #labels(NDManager, int[]...)} on the class's manager. */
    static NDArray labels(int[]... truths) {
        return labels(arrays.manager(), truths);
    }

    static MeanIoU fresh(MeanIoU.Builder builder) {
        MeanIoU miou = builder.build();
        miou.addAccumulator("k");
        return miou;
    }

    static void update(MeanIoU miou, NDArray labels, NDArray logits) {
        miou.updateAccumulator("k", new NDList(labels), new NDList(logits));
    }

    /**
     * Updates {@code miou} (key "k") and evaluates it while a gradient collector records, with
     * predictions that require a gradient, on arrays of a sub-manager of {@code parent} that is
     * closed after. MXNet forbids in-place updates while recording.
     *
     * @return the value {@code evaluate} gave
     */
    static float countWhileRecording(
            NDManager parent,
            MeanIoU miou,
            Function<NDManager, NDArray> labels,
            Function<NDManager, NDArray> predictions) {
        try (NDManager local = parent.newSubManager()) {
            NDArray x = predictions.apply(local);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                update(miou, labels.apply(local), x);
                NDArray value = miou.evaluate(new NDList(labels.apply(local)), new NDList(x));
                return value.getFloat();
            }
        }
    }

    @Test
    void handCountedImageGivesExactFractions() {
        MeanIoU miou = fresh(MeanIoU.builder().setNumClasses(3));
        update(miou, labels(TRUTH_A), logits(3, PRED_A));
        assertArrayEquals(CM_A, miou.getConfusionMatrix("k"));
        assertArrayEquals(new double[] {3.0 / 7, 3.0 / 5, 1.0 / 2}, miou.getClassIoU("k"), EPS);
        assertArrayEquals(new boolean[] {true, true, true}, miou.getPresentClasses("k"));
        assertEquals(107.0 / 210, miou.getAccumulator("k"), 1e-7);
        assertEquals("mIoU", miou.getName());
    }

    @Test
    void pixelAccuracyIsTraceOverCountedPixels() {
        // A: trace of CM_A = 3 + 3 + 2 = 8 of 12 pixels → 2/3.
        MeanIoU miou = fresh(MeanIoU.builder().setNumClasses(3).optIgnoreIndex(255));
        update(miou, labels(TRUTH_A), logits(3, PRED_A));
        assertEquals(2.0 / 3, miou.getPixelAccuracy("k"), EPS);
        // Plus B: trace of CM_AB = 4 + 8 + 5 = 17 of 24 pixels → 17/24.
        update(miou, labels(TRUTH_B), logits(3, PRED_B));
        assertEquals(17.0 / 24, miou.getPixelAccuracy("k"), EPS);
        // Ignored pixels are in neither the trace nor the total: B with its last row labelled 255
        // leaves rows 0-1, truth 1 1 1 1 1 1 2 2 against pred 1 1 1 0 1 1 2 2: 7 right of 8.
        miou.addAccumulator("ignored");
        int[] truth = TRUTH_B.clone();
        java.util.Arrays.fill(truth, 8, 12, 255);
        miou.updateAccumulator("ignored", new NDList(labels(truth)),
                new NDList(logits(3, PRED_B)));
        assertEquals(7.0 / 8, miou.getPixelAccuracy("ignored"), EPS);
        miou.resetAccumulator("k");
        assertTrue(Double.isNaN(miou.getPixelAccuracy("k")), "nothing counted: NaN");
    }

    @Test
    void evaluateReturnsTheBatchValueAndLeavesAccumulatorsAlone() {
        MeanIoU miou = fresh(MeanIoU.builder().setNumClasses(3));
        NDArray value =
                miou.evaluate(
                        new NDList(labels(TRUTH_B)), new NDList(logits(3, PRED_B)));
        assertEquals(new Shape(), value.getShape());
        assertEquals(DataType.FLOAT32, value.getDataType());
        assertEquals(173.0 / 315, value.getFloat(), 1e-7); // (1/3 + 5/7 + 3/5) / 3
        assertEquals(0L, miou.getCounts("k").getPixelCount());
    }

    @Test
    void twoBatchesAccumulateLikeOneBatchOfBoth() {
        MeanIoU split = fresh(MeanIoU.builder().setNumClasses(3));
        update(split, labels(TRUTH_A), logits(3, PRED_A));
        update(split, labels(TRUTH_B), logits(3, PRED_B));
        MeanIoU joint = fresh(MeanIoU.builder().setNumClasses(3));
        update(joint, labels(TRUTH_A, TRUTH_B), logits(3, PRED_A, PRED_B));

        assertArrayEquals(CM_AB, split.getConfusionMatrix("k"));
        assertArrayEquals(CM_AB, joint.getConfusionMatrix("k"));
        assertArrayEquals(new double[] {2.0 / 5, 2.0 / 3, 5.0 / 9}, split.getClassIoU("k"), EPS);
        assertEquals(73.0 / 135, split.getAccumulator("k"), 1e-7);
        assertEquals(split.getAccumulator("k"), joint.getAccumulator("k"));
        // Pooled over pixels, not the mean of the two batch values (0.5291 vs 0.5407).
        double meanOfBatches = (107.0 / 210 + 173.0 / 315) / 2;
        assertTrue(Math.abs(meanOfBatches - 73.0 / 135) > 0.01);
    }

    @Test
    void updateAccumulatorsCountsIntoEveryKeyAndResetClearsOnlyOne() {
        MeanIoU miou = MeanIoU.builder().setNumClasses(3).build();
        miou.addAccumulator("epoch");
        miou.addAccumulator("progress");
        String[] keys = {"epoch", "progress"};
        miou.updateAccumulators(
                keys, new NDList(labels(TRUTH_A)), new NDList(logits(3, PRED_A)));
        assertArrayEquals(CM_A, miou.getConfusionMatrix("epoch"));
        assertArrayEquals(CM_A, miou.getConfusionMatrix("progress"));

        miou.resetAccumulator("progress");
        assertArrayEquals(new long[3][3], miou.getConfusionMatrix("progress"));
        assertTrue(Float.isNaN(miou.getAccumulator("progress")), "nothing counted: NaN");
        assertArrayEquals(new boolean[3], miou.getPresentClasses("progress"));
        assertArrayEquals(CM_A, miou.getConfusionMatrix("epoch"));

        miou.updateAccumulators(
                keys, new NDList(labels(TRUTH_B)), new NDList(logits(3, PRED_B)));
        assertArrayEquals(CM_B, miou.getConfusionMatrix("progress"));
        assertEquals(173.0 / 315, miou.getAccumulator("progress"), 1e-7);
        assertArrayEquals(CM_AB, miou.getConfusionMatrix("epoch"));
    }

    @Test
    void ignoredPixelsAreNeverCounted() {
        // A with a fourth row labelled 255 and predicted 1 2 0 1: the matrix stays CM_A.
        int[] truth = concat(TRUTH_A, new int[] {255, 255, 255, 255});
        int[] pred = concat(PRED_A, new int[] {1, 2, 0, 1});
        MeanIoU miou = fresh(MeanIoU.builder().setNumClasses(3).optIgnoreIndex(255));
        update(miou, labels(truth), logits(3, pred));
        assertArrayEquals(CM_A, miou.getConfusionMatrix("k"));
        assertEquals(107.0 / 210, miou.getAccumulator("k"), 1e-7);
    }

    @Test
    void ignoreIndexMayBeARealClass() {
        // Ignoring label 2 drops row 2 of CM_A; class 2 is still predicted on a class-0 pixel:
        // IoU_0 = 3/(3+1+2) = 1/2, IoU_1 = 3/5, IoU_2 = 0/(0+1+0) = 0, mIoU = 11/30.
        MeanIoU miou = fresh(MeanIoU.builder().setNumClasses(3).optIgnoreIndex(2));
        update(miou, labels(TRUTH_A), logits(3, PRED_A));
        assertArrayEquals(new long[][] {{3, 1, 1}, {1, 3, 0}, {0, 0, 0}}, miou.getConfusionMatrix("k"));
        assertArrayEquals(new double[] {0.5, 0.6, 0.0}, miou.getClassIoU("k"), EPS);
        assertEquals(11.0 / 30, miou.getAccumulator("k"), 1e-7);
    }

    @Test
    void classAbsentFromTruthAndPredictionIsLeftOutOfTheMean() {
        MeanIoU miou = fresh(MeanIoU.builder().setNumClasses(4));
        update(miou, labels(TRUTH_A), logits(4, PRED_A));
        assertArrayEquals(new boolean[] {true, true, true, false}, miou.getPresentClasses("k"));
        double[] iou = miou.getClassIoU("k");
        assertTrue(Double.isNaN(iou[3]));
        assertEquals(107.0 / 210, miou.getAccumulator("k"), 1e-7);
    }

    @Test
    void classOnlyPredictedCountsWithZero() {
        // A with r2c3 (truth 1) predicted as 3: IoU_0 = 3/(3+1+2) = 1/2, IoU_1 = 3/5, IoU_2 = 1/2,
        // IoU_3 = 0/(0+1+0) = 0, mIoU = (1/2 + 3/5 + 1/2 + 0) / 4 = 2/5.
        int[] pred = PRED_A.clone();
        pred[11] = 3;
        MeanIoU miou = fresh(MeanIoU.builder().setNumClasses(4));
        update(miou, labels(TRUTH_A), logits(4, pred));
        assertArrayEquals(new boolean[] {true, true, true, true}, miou.getPresentClasses("k"));
        assertArrayEquals(new double[] {0.5, 0.6, 0.5, 0.0}, miou.getClassIoU("k"), EPS);
        assertEquals(0.4, miou.getAccumulator("k"), 1e-7);
    }

    @Test
    void floatLabelsWithClassAxisAndChannelsLastCountTheSame() {
        NDArray logits = logits(3, PRED_A);
        MeanIoU withAxis = fresh(MeanIoU.builder().setNumClasses(3));
        update(withAxis, labels(TRUTH_A).toType(DataType.FLOAT32, false).reshape(1, 1, 3, 4), logits);
        assertArrayEquals(CM_A, withAxis.getConfusionMatrix("k"));

        MeanIoU last = fresh(MeanIoU.builder().setNumClasses(3).optClassAxis(-1));
        update(last, labels(TRUTH_A), logits.transpose(0, 2, 3, 1));
        assertArrayEquals(CM_A, last.getConfusionMatrix("k"));
    }

    @Test
    void float64CountsEqualFloat32Counts() {
        long[][] counts =
                ConfusionCounter.count(
                        logits(3, PRED_A, PRED_B), labels(TRUTH_A, TRUTH_B),
                        3, io.github.djllovasz.InputContract.defaults(), DataType.FLOAT64).getConfusionMatrix();
        assertArrayEquals(CM_AB, counts);
    }

    @Test
    void anEmptyDeviceChunkCountsNothing() {
        // B = 0 (DJL's split of 9 images on 4 devices: 3, 3, 3, 0) adds nothing; A still counts.
        MeanIoU miou = fresh(MeanIoU.builder().setNumClasses(3));
        update(miou, arrays.manager().zeros(new Shape(0, 3, 4), DataType.INT64), arrays.manager().zeros(new Shape(0, 3, 3, 4)));
        assertArrayEquals(new long[3][3], miou.getConfusionMatrix("k"));
        update(miou, labels(TRUTH_A), logits(3, PRED_A));
        assertArrayEquals(CM_A, miou.getConfusionMatrix("k"));
        MeanIoU binary = fresh(MeanIoU.builder().setNumClasses(1));
        update(binary, arrays.manager().zeros(new Shape(0, 3, 4), DataType.INT64), arrays.manager().zeros(new Shape(0, 1, 3, 4)));
        assertArrayEquals(new long[2][2], binary.getConfusionMatrix("k"));
        // A zero-size spatial axis with images, and labels that do not fit, are still errors.
        assertMessage("are empty", () -> update(miou, arrays.manager().zeros(new Shape(2, 0, 4), DataType.INT64),
                arrays.manager().zeros(new Shape(2, 3, 0, 4))));
        assertMessage("(0, 5, 4)", () -> update(miou, arrays.manager().zeros(new Shape(0, 5, 4), DataType.INT64),
                arrays.manager().zeros(new Shape(0, 3, 3, 4))));
    }

    @Test
    void invalidInputsNameTheOffendingValue() {
        MeanIoU miou = fresh(MeanIoU.builder().setNumClasses(3));
        NDArray logits = logits(3, PRED_A);
        int[] tooLarge = TRUTH_A.clone();
        tooLarge[5] = 3;
        assertMessage("label 3", () -> update(miou, labels(tooLarge), logits));
        int[] negative = TRUTH_A.clone();
        negative[0] = -1;
        assertMessage("label -1", () -> update(miou, labels(negative), logits));
        MeanIoU ignoring = fresh(MeanIoU.builder().setNumClasses(3).optIgnoreIndex(255));
        assertMessage("ignore index 255", () -> update(ignoring, labels(tooLarge), logits));
        assertMessage(
                "(1, 4, 3)",
                () -> update(miou, labels(TRUTH_A).reshape(1, 4, 3), logits));
        assertMessage(
                "4 classes along axis 1 but numClasses is 3",
                () -> update(miou, labels(TRUTH_A), logits(4, PRED_A)));
        assertMessage(
                "non-integer value 0.5",
                () -> update(miou, labels(TRUTH_A).toType(DataType.FLOAT32, false).add(0.5f), logits));
        assertMessage(
                "class axis 4",
                () -> update(fresh(MeanIoU.builder().setNumClasses(3).optClassAxis(4)),
                        labels(TRUTH_A), logits));
        assertMessage("no accumulator named 'other'", () -> miou.getAccumulator("other"));
        assertMessage("at least 1", () -> new MeanIoU(0));
        assertArrayEquals(new long[3][3], miou.getConfusionMatrix("k"), "failed updates count nothing");
    }

    @Test
    void countsWhileAGradientCollectorRecords() {
        // MXNet forbids in-place updates while recording; the counting uses none.
        MeanIoU miou = fresh(MeanIoU.builder().setNumClasses(3).optIgnoreIndex(255));
        float value = countWhileRecording(
                arrays.manager(), miou, local -> labels(local, TRUTH_A), local -> logits(local, 3, PRED_A));
        assertEquals(107.0 / 210, value, 1e-7);
        assertArrayEquals(CM_A, miou.getConfusionMatrix("k"));
    }

    @Test
    void updatesLeaveNoArraysBehind() {
        MeanIoU miou = fresh(MeanIoU.builder().setNumClasses(3).optIgnoreIndex(255));
        try (NDManager local = arrays.manager().newSubManager()) {
            NDArray labels = labels(local, TRUTH_A, TRUTH_B);
            NDArray logits = logits(local, 3, PRED_A, PRED_B);
            LiveArrays live = LiveArrays.of(local);
            for (int i = 0; i < 20; i++) {
                update(miou, labels, logits);
                live.assertUnchanged("live arrays after update " + i);
            }
            miou.evaluate(new NDList(labels), new NDList(logits)).close();
            live.assertUnchanged("live arrays after evaluate");
        }
        assertEquals(20 * 24L, miou.getCounts("k").getPixelCount());
    }

    static void assertMessage(String expected, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(expected), () -> "'" + expected + "' not in: " + e.getMessage());
    }

    static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
