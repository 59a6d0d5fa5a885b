package io.github.djllovasz.metric;

import static io.github.djllovasz.metric.MeanIoUTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.djllovasz.testutil.LiveArrays;
import io.github.djllovasz.testutil.TestArrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link MeanIoU} with {@code setNumClasses(1)} (a binary model) against counts made by hand. */
class MeanIoUBinaryTest {

    // Image C (3×4), ground truth and predicted foreground (1) / background (0):
    //   truth  0 0 0 0      pred  0 0 0 0
    //          0 1 1 0            0 1 1 1
    //          0 1 1 0            0 1 0 0
    // truth 1 (4 px: r1c1 r1c2 r2c1 r2c2): pred 1 ×3 (r1c1 r1c2 r2c1) = TP, pred 0 ×1 (r2c2) = FN
    // truth 0 (8 px): pred 1 ×1 (r1c3) = FP, pred 0 ×7 = TN
    // n = [[7, 1], [1, 3]]; IoU_fg = 3 / (3 + 1 + 1) = 3/5, IoU_bg = 7 / (7 + 1 + 1) = 7/9,
    // mIoU = (3/5 + 7/9) / 2 = (27 + 35) / 90 = 31/45, pixel accuracy = (7 + 3) / 12 = 5/6.
    static final int[] TRUTH_C = {0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0};
    static final int[] PRED_C = {0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 0, 0};
    static final long[][] CM_C = {{7, 1}, {1, 3}};

    // Image D (3×4):
    //   truth  1 1 1 0      pred  1 1 0 0
    //          1 1 1 0            1 1 1 1
    //          0 0 0 0            0 0 0 0
    // truth 1 (6 px): pred 1 ×5, pred 0 ×1 (r0c2); truth 0 (6 px): pred 1 ×1 (r1c3), pred 0 ×5
    // n = [[5, 1], [1, 5]]; IoU_fg = IoU_bg = 5 / (5 + 1 + 1) = 5/7, mIoU = 5/7.
    static final int[] TRUTH_D = {1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0};
    static final int[] PRED_D = {1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0};
    static final long[][] CM_D = {{5, 1}, {1, 5}};

    // C and D: n = [[12, 2], [2, 8]]; IoU_bg = 12 / (12 + 2 + 2) = 3/4, IoU_fg = 8 / (8 + 2 + 2) =
    // 2/3, mIoU = (3/4 + 2/3) / 2 = 17/24, pixel accuracy = 20/24 = 5/6.
    static final long[][] CM_CD = {{12, 2}, {2, 8}};

    static final double EPS = 1e-12;
    @RegisterExtension static final TestArrays arrays = TestArrays.perClass();

    /**
     * Logits [B, 1, H, 4]: foreground pixels get 0.25 + 0.5·(i mod 3) > 0; background pixels get
     * 0 when i mod 3 = 0 (a logit of exactly 0 is background) and −0.3·i otherwise.
     */
    static NDArray logits(NDManager m, int[]... preds) {
        int pixels = preds[0].length;
        float[] values = new float[preds.length * pixels];
        for (int b = 0; b < preds.length; b++) {
            for (int i = 0; i < pixels; i++) {
                values[b * pixels + i] =
                        preds[b][i] == 1 ? 0.25f + 0.5f * (i % 3) : (i % 3 == 0 ? 0f : -0.3f * i);
            }
        }
        return m.create(values, new Shape(preds.length, 1, pixels / 4, 4));
    }

    /** Probabilities [B, 1, H, 4]: foreground 0.625 / 0.75 / 0.875, background 0.25 / 0.5 / 0.0. */
    static NDArray probabilities(NDManager m, int[]... preds) {
        float[] fg = {0.625f, 0.75f, 0.875f};
        float[] bg = {0.25f, 0.5f, 0f};
        int pixels = preds[0].length;
        float[] values = new float[preds.length * pixels];
        for (int b = 0; b < preds.length; b++) {
            for (int i = 0; i < pixels; i++) {
                values[b * pixels + i] = preds[b][i] == 1 ? fg[i % 3] : bg[i % 3];
            }
        }
        return m.create(values, new Shape(preds.length, 1, pixels / 4, 4));
    }

    static NDArray labels(NDManager m, int[]... truths) {
        return MeanIoUTest.labels(m, truths);
    }

    /** {@link #logits(NDManager, int[]...)} on the class's manager. */
    static NDArray logits(int[]... preds) {
        return logits(arrays.manager(), preds);
    }

    /** {@link #probabilities(NDManager, int[]...)} on the class's manager. */
    static NDArray probabilities(int[]... preds) {
        return probabilities(arrays.manager(), preds);
    }

    /** {@link #labels(NDManager, int[]...)} on the class's manager. */
    static NDArray labels(int[]... truths) {
        return labels(arrays.manager(), truths);
    }

    static MeanIoU fresh(MeanIoU.Builder builder) {
        return MeanIoUTest.fresh(builder);
    }

    static void update(MeanIoU miou, NDArray labels, NDArray predictions) {
        MeanIoUTest.update(miou, labels, predictions);
    }

    static MeanIoU.Builder binary() {
        return MeanIoU.builder().setNumClasses(1);
    }

    @Test
    void oneChannelLogitsGiveExactFractions() {
        MeanIoU miou = fresh(binary());
        update(miou, labels(TRUTH_C), logits(PRED_C)); // [1, 1, 3, 4], [1, 3, 4]
        assertArrayEquals(CM_C, miou.getConfusionMatrix("k"));
        assertArrayEquals(new double[] {7.0 / 9, 3.0 / 5}, miou.getClassIoU("k"), EPS);
        assertEquals(3.0 / 5, miou.getForegroundIoU("k"), EPS);
        assertArrayEquals(new boolean[] {true, true}, miou.getPresentClasses("k"));
        assertEquals(31.0 / 45, miou.getAccumulator("k"), 1e-7);
        assertEquals(5.0 / 6, miou.getPixelAccuracy("k"), EPS);
        assertEquals(1, miou.getNumClasses());
        assertTrue(miou.isBinary());
        assertTrue(miou.getInputContract().isFromLogits());
    }

    @Test
    void channelLessLogitsWithLabelsOfTheSameShapeCountTheSame() {
        // Lovász-hinge style: logits [B, H, W] and labels [B, H, W].
        MeanIoU miou = fresh(binary());
        update(miou, labels(TRUTH_C), logits(PRED_C).reshape(1, 3, 4));
        assertArrayEquals(CM_C, miou.getConfusionMatrix("k"));
        assertEquals(3.0 / 5, miou.getForegroundIoU("k"), EPS);
        assertEquals(31.0 / 45, miou.getAccumulator("k"), 1e-7);

        // [B, 1, H, W] float labels with [B, 1, H, W] logits (same shape) and channels-last
        // [B, H, W, 1] logits with [B, H, W] labels count the same.
        MeanIoU same = fresh(binary());
        update(same, labels(TRUTH_C).toType(DataType.FLOAT32, false).reshape(1, 1, 3, 4),
                logits(PRED_C));
        assertArrayEquals(CM_C, same.getConfusionMatrix("k"));
        MeanIoU last = fresh(binary().optClassAxis(-1));
        update(last, labels(TRUTH_C), logits(PRED_C).reshape(1, 3, 4, 1));
        assertArrayEquals(CM_C, last.getConfusionMatrix("k"));
    }

    @Test
    void probabilitiesThresholdAtOneHalfAndExactlyOneHalfIsBackground() {
        // Background pixels i with i mod 3 = 1 hold exactly 0.5: i = 1, 4 (truth 0) and i = 10
        // (r2c2, truth 1). As background they give CM_C; were 0.5 foreground, the matrix would be
        // [[5, 3], [0, 4]].
        MeanIoU miou = fresh(binary().optFromLogits(false));
        update(miou, labels(TRUTH_C), probabilities(PRED_C));
        assertArrayEquals(CM_C, miou.getConfusionMatrix("k"));
        assertEquals(3.0 / 5, miou.getForegroundIoU("k"), EPS);
        assertEquals(31.0 / 45, miou.getAccumulator("k"), 1e-7);
        assertFalse(miou.getInputContract().isFromLogits());

        // The same array read as logits: foreground wherever x > 0, so only the 0.0 pixels
        // i = 2, 8, 11 (all truth 0) are background. truth 1 = {5, 6, 9, 10}: TP 4, FN 0;
        // truth 0 = {0, 1, 2, 3, 4, 7, 8, 11}: FP 5 (0, 1, 3, 4, 7), TN 3 → [[3, 5], [0, 4]],
        // IoU_bg = 3/8, IoU_fg = 4/9.
        MeanIoU asLogits = fresh(binary());
        update(asLogits, labels(TRUTH_C), probabilities(PRED_C));
        assertArrayEquals(new long[][] {{3, 5}, {0, 4}}, asLogits.getConfusionMatrix("k"));
        assertArrayEquals(new double[] {3.0 / 8, 4.0 / 9}, asLogits.getClassIoU("k"), EPS);
    }

    @Test
    void twoBatchesAccumulateLikeOneBatchOfBoth() {
        MeanIoU split = fresh(binary());
        update(split, labels(TRUTH_C), logits(PRED_C));
        update(split, labels(TRUTH_D), logits(PRED_D).reshape(1, 3, 4));
        MeanIoU joint = fresh(binary().optFromLogits(false));
        update(joint, labels(TRUTH_C, TRUTH_D), probabilities(PRED_C, PRED_D));

        assertArrayEquals(CM_CD, split.getConfusionMatrix("k"));
        assertArrayEquals(CM_CD, joint.getConfusionMatrix("k"));
        assertArrayEquals(new double[] {3.0 / 4, 2.0 / 3}, split.getClassIoU("k"), EPS);
        assertEquals(2.0 / 3, split.getForegroundIoU("k"), EPS);
        assertEquals(17.0 / 24, split.getAccumulator("k"), 1e-7);
        assertEquals(5.0 / 6, split.getPixelAccuracy("k"), EPS);
        assertEquals(split.getAccumulator("k"), joint.getAccumulator("k"));

        split.resetAccumulator("k");
        assertArrayEquals(new long[2][2], split.getConfusionMatrix("k"));
        assertTrue(Double.isNaN(split.getForegroundIoU("k")));
        assertTrue(Float.isNaN(split.getAccumulator("k")));
    }

    @Test
    void evaluateReturnsTheBatchValueAndLeavesAccumulatorsAlone() {
        MeanIoU miou = fresh(binary());
        NDArray value =
                miou.evaluate(new NDList(labels(TRUTH_D)), new NDList(logits(PRED_D)));
        assertEquals(new Shape(), value.getShape());
        assertEquals(DataType.FLOAT32, value.getDataType());
        assertEquals(5.0 / 7, value.getFloat(), 1e-7);
        assertArrayEquals(new long[2][2], miou.getConfusionMatrix("k"));
    }

    @Test
    void ignoredPixelsAreNeverCounted() {
        // C with a fourth row labelled 255 and predicted 1 0 1 1: the matrix stays CM_C.
        int[] truth = MeanIoUTest.concat(TRUTH_C, new int[] {255, 255, 255, 255});
        int[] pred = MeanIoUTest.concat(PRED_C, new int[] {1, 0, 1, 1});
        MeanIoU miou = fresh(binary().optIgnoreIndex(255));
        update(miou, labels(truth), logits(pred));
        assertArrayEquals(CM_C, miou.getConfusionMatrix("k"));
        assertEquals(3.0 / 5, miou.getForegroundIoU("k"), EPS);

        MeanIoU probas = fresh(binary().optIgnoreIndex(255).optFromLogits(false));
        update(probas, labels(truth), probabilities(pred).reshape(1, 4, 4));
        assertArrayEquals(CM_C, probas.getConfusionMatrix("k"));
        assertEquals(31.0 / 45, probas.getAccumulator("k"), 1e-7);
    }

    @Test
    void absentForegroundIsNaNAndOnlyPredictedForegroundIsZero() {
        int[] allBackground = new int[12];
        MeanIoU none = fresh(binary());
        update(none, labels(allBackground), logits(allBackground));
        // n = [[12, 0], [0, 0]]: IoU_bg = 12/12, foreground in neither truth nor prediction.
        assertArrayEquals(new long[][] {{12, 0}, {0, 0}}, none.getConfusionMatrix("k"));
        assertTrue(Double.isNaN(none.getForegroundIoU("k")));
        assertArrayEquals(new boolean[] {true, false}, none.getPresentClasses("k"));
        assertEquals(1.0, none.getAccumulator("k"), 1e-7);

        // One background pixel predicted foreground: n = [[11, 1], [0, 0]], IoU_bg = 11/12,
        // IoU_fg = 0 / (0 + 1 + 0) = 0, mIoU = 11/24.
        int[] onePredicted = allBackground.clone();
        onePredicted[7] = 1;
        MeanIoU one = fresh(binary());
        update(one, labels(allBackground), logits(onePredicted));
        assertArrayEquals(new long[][] {{11, 1}, {0, 0}}, one.getConfusionMatrix("k"));
        assertEquals(0.0, one.getForegroundIoU("k"), EPS);
        assertEquals(11.0 / 24, one.getAccumulator("k"), 1e-7);
    }

    @Test
    void labelsOtherThanZeroOneOrTheIgnoreIndexAreRejected() {
        MeanIoU miou = fresh(binary());
        NDArray logits = logits(PRED_C);
        int[] two = TRUTH_C.clone();
        two[3] = 2;
        assertMessage("label 2 is outside {0, 1}", () -> update(miou, labels(two), logits));
        int[] negative = TRUTH_C.clone();
        negative[0] = -1;
        assertMessage("label -1", () -> update(miou, labels(negative), logits));
        MeanIoU ignoring = fresh(binary().optIgnoreIndex(255));
        assertMessage("ignore index 255", () -> update(ignoring, labels(two), logits));
        assertMessage(
                "non-integer value 0.5",
                () -> update(miou, labels(TRUTH_C).toType(DataType.FLOAT32, false).mul(0.5f), logits));
        assertArrayEquals(new long[2][2], miou.getConfusionMatrix("k"), "failed updates count nothing");
        assertArrayEquals(new long[2][2], ignoring.getConfusionMatrix("k"));
    }

    @Test
    void shapesThatDoNotFitNameBothShapes() {
        MeanIoU miou = fresh(binary());
        NDArray labels = labels(TRUTH_C); // (1, 3, 4)
        // Transposed labels.
        assertMessage("labels of shape (1, 4, 3) do not fit binary predictions (numClasses 1) of"
                + " shape (1, 1, 3, 4)", () -> update(miou, labels.reshape(1, 4, 3), logits(PRED_C)));
        // A channel on the labels but not on the predictions.
        assertMessage("labels of shape (1, 1, 3, 4) do not fit binary predictions (numClasses 1) of"
                + " shape (1, 3, 4)",
                () -> update(miou, labels.reshape(1, 1, 3, 4), logits(PRED_C).reshape(1, 3, 4)));
        // Two channels: a two-class model needs setNumClasses(2).
        NDArray twoChannels = MeanIoUTest.logits(arrays.manager(), 2, PRED_C); // (1, 2, 3, 4)
        assertMessage("labels of shape (1, 3, 4) do not fit binary predictions (numClasses 1) of"
                + " shape (1, 2, 3, 4)", () -> update(miou, labels, twoChannels));
        assertMessage("(they have 2)", () -> update(miou, labels, twoChannels));
        // Channel-less predictions whose class axis 1 has size 3: labels (1, 4) fit neither form.
        NDArray short4 = arrays.manager().create(new long[] {0, 1, 1, 0}, new Shape(1, 4));
        assertMessage("labels of shape (1, 4) do not fit binary predictions (numClasses 1) of shape"
                + " (1, 3, 4)", () -> update(miou, short4, logits(PRED_C).reshape(1, 3, 4)));
        MeanIoU farAxis = fresh(binary().optClassAxis(5));
        assertMessage("class axis 5 is out of range",
                () -> update(farAxis, labels, logits(PRED_C)));
        assertArrayEquals(new long[2][2], miou.getConfusionMatrix("k"), "failed updates count nothing");
    }

    @Test
    void otherInvalidInputs() {
        MeanIoU probas = fresh(binary().optFromLogits(false));
        // Logits of C range over [-3.3, 1.25]: not probabilities.
        assertMessage("probabilities must lie in [0, 1]",
                () -> update(probas, labels(TRUTH_C), logits(PRED_C)));
        assertMessage("got 0", () -> MeanIoU.builder().setNumClasses(0).build());
        assertMessage("got -2", () -> new MeanIoU(-2));
        IllegalStateException e =
                assertThrows(IllegalStateException.class,
                        () -> fresh(MeanIoU.builder().setNumClasses(3)).getForegroundIoU("k"));
        assertTrue(e.getMessage().contains("numClasses is 3"), e.getMessage());
        assertMessage("no accumulator named 'other'", () -> probas.getForegroundIoU("other"));
    }

    @Test
    void fromLogitsChangesNothingForSeveralClasses() {
        // Softmax probabilities of image A of MeanIoUTest have the logits' arg-max: CM_A either way.
        NDArray logits = MeanIoUTest.logits(arrays.manager(), 3, MeanIoUTest.PRED_A);
        MeanIoU probas = fresh(MeanIoU.builder().setNumClasses(3).optFromLogits(false));
        update(probas, labels(MeanIoUTest.TRUTH_A), logits.softmax(1));
        assertArrayEquals(MeanIoUTest.CM_A, probas.getConfusionMatrix("k"));
        MeanIoU raw = fresh(MeanIoU.builder().setNumClasses(3).optFromLogits(false));
        update(raw, labels(MeanIoUTest.TRUTH_A), logits);
        assertArrayEquals(MeanIoUTest.CM_A, raw.getConfusionMatrix("k"), "no [0, 1] check for C ≥ 2");
    }

    @Test
    void countsWhileAGradientCollectorRecords() {
        MeanIoU miou = fresh(binary().optIgnoreIndex(255).optFromLogits(false));
        float value = MeanIoUTest.countWhileRecording(
                arrays.manager(), miou, local -> labels(local, TRUTH_C), local -> probabilities(local, PRED_C));
        assertEquals(31.0 / 45, value, 1e-7);
        assertArrayEquals(CM_C, miou.getConfusionMatrix("k"));
    }

    @Test
    void updatesLeaveNoArraysBehind() {
        MeanIoU logitsMiou = fresh(binary().optIgnoreIndex(255));
        MeanIoU probasMiou = fresh(binary().optIgnoreIndex(255).optFromLogits(false));
        try (NDManager local = arrays.manager().newSubManager()) {
            NDArray labels = labels(local, TRUTH_C, TRUTH_D);
            NDArray logits = logits(local, PRED_C, PRED_D);
            NDArray probas = probabilities(local, PRED_C, PRED_D).reshape(2, 3, 4);
            LiveArrays live = LiveArrays.of(local);
            for (int i = 0; i < 10; i++) {
                update(logitsMiou, labels, logits);
                update(probasMiou, labels, probas);
                live.assertUnchanged("live arrays after update " + i);
            }
            logitsMiou.evaluate(new NDList(labels), new NDList(logits)).close();
            live.assertUnchanged("live arrays after evaluate");
        }
        assertArrayEquals(new long[][] {{120, 20}, {20, 80}}, logitsMiou.getConfusionMatrix("k"));
        assertArrayEquals(new long[][] {{120, 20}, {20, 80}}, probasMiou.getConfusionMatrix("k"));
    }

    @Test
    void float64CountsEqualFloat32Counts() {
        long[][] counts =
                ConfusionCounter.countBinary(
                        logits(PRED_C, PRED_D), labels(TRUTH_C, TRUTH_D),
                        io.github.djllovasz.InputContract.defaults(), DataType.FLOAT64).getConfusionMatrix();
        assertArrayEquals(CM_CD, counts);
    }
}
