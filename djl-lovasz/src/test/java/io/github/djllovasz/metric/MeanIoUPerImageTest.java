package io.github.djllovasz.metric;

import static io.github.djllovasz.metric.MeanIoUTest.PRED_A;
import static io.github.djllovasz.metric.MeanIoUTest.PRED_B;
import static io.github.djllovasz.metric.MeanIoUTest.TRUTH_A;
import static io.github.djllovasz.metric.MeanIoUTest.TRUTH_B;
import static io.github.djllovasz.metric.MeanIoUTest.fresh;
import static io.github.djllovasz.metric.MeanIoUTest.update;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import io.github.djllovasz.testutil.TestArrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** mIoU^I, mIoU^C and the worst-q % mIoU^I against per-image counts made by hand. */
class MeanIoUPerImageTest {

    @RegisterExtension final TestArrays arrays = TestArrays.perTest();

    private NDArray logits(int classes, int[]... preds) {
        return MeanIoUTest.logits(arrays.manager(), classes, preds);
    }

    private NDArray labels(int[]... truths) {
        return MeanIoUTest.labels(arrays.manager(), truths);
    }

    // Images A and B as in MeanIoUTest: IoU_A = 3/7, 3/5, 1/2 and IoU_B = 1/3, 5/7, 3/5.
    // Image C (3×4), where class 2 appears nowhere:
    //   truth  0 0 0 0      pred  0 0 0 0
    //          0 0 1 1            0 0 0 1
    //          0 0 1 1            0 0 1 1
    //   truth 0 (8 px): pred 0 ×8;  truth 1 (4 px): pred 1 ×3, pred 0 ×1 (r1c2)
    //   IoU_0 = 8 / (8 + 1) = 8/9, IoU_1 = 3 / (3 + 1) = 3/4; class 2 has no union: left out.
    static final int[] TRUTH_C = {0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1};
    static final int[] PRED_C = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1};

    static final double IMAGE_A = (3.0 / 7 + 3.0 / 5 + 1.0 / 2) / 3; // 107/210 = 0.5095
    static final double IMAGE_B = (1.0 / 3 + 5.0 / 7 + 3.0 / 5) / 3; // 173/315 = 0.5492
    static final double IMAGE_C = (8.0 / 9 + 3.0 / 4) / 2;           // 59/72 = 0.8194

    @Test
    void perImageAndPerClassMeansCountedByHand() {
        MeanIoU miou = fresh(MeanIoU.builder().setNumClasses(3));
        update(miou, labels(TRUTH_A, TRUTH_B), logits(3, PRED_A, PRED_B)); // one batch of two images
        update(miou, labels(TRUTH_C), logits(3, PRED_C));                  // then a batch of one
        assertArrayEquals(new double[] {IMAGE_A, IMAGE_B, IMAGE_C}, miou.getImageMeanIoUs("k"), 1e-12);
        assertEquals((IMAGE_A + IMAGE_B + IMAGE_C) / 3, miou.getPerImageMeanIoU("k"), 1e-12);
        double class0 = (3.0 / 7 + 1.0 / 3 + 8.0 / 9) / 3;
        double class1 = (3.0 / 5 + 5.0 / 7 + 3.0 / 4) / 3;
        double class2 = (1.0 / 2 + 3.0 / 5) / 2; // appears in A and B only
        assertEquals((class0 + class1 + class2) / 3, miou.getPerClassMeanIoU("k"), 1e-12);
        // worst 10 % of 3 images: ⌈0.3⌉ = 1 image (A); worst 34 %: ⌈1.02⌉ = 2 (A and B); 100 %: all
        assertEquals(IMAGE_A, miou.getWorstImagesMeanIoU("k", 10), 1e-12);
        assertEquals((IMAGE_A + IMAGE_B) / 2, miou.getWorstImagesMeanIoU("k", 34), 1e-12);
        assertEquals(miou.getPerImageMeanIoU("k"), miou.getWorstImagesMeanIoU("k", 100), 1e-12);
        // the dataset mIoU (getAccumulator) stays the pooled one, and differs from both
        assertTrue(Math.abs(miou.getAccumulator("k") - miou.getPerImageMeanIoU("k")) > 1e-3);
        assertThrows(IllegalArgumentException.class, () -> miou.getWorstImagesMeanIoU("k", 0));
        assertThrows(IllegalArgumentException.class, () -> miou.getWorstImagesMeanIoU("k", 101));
        miou.resetAccumulator("k");
        assertTrue(Double.isNaN(miou.getPerImageMeanIoU("k")));
        assertTrue(Double.isNaN(miou.getPerClassMeanIoU("k")));
        assertTrue(Double.isNaN(miou.getWorstImagesMeanIoU("k", 10)));
    }

    /**
     * Ignored pixels count nowhere, and an image with no counted pixel is left out. Image A with
     * its first row ignored (truth 0 0 0 1 / pred 0 0 1 1 gone): n = [[1,0,1],[1,2,0],[1,0,2]],
     * IoU_0 = 1/(1 + 2 + 1) = 1/4, IoU_1 = 2/(2 + 0 + 1) = 2/3, IoU_2 = 2/(2 + 1 + 1) = 1/2.
     */
    @Test
    void ignoredPixelsAndFullyIgnoredImages() {
        int[] truth = TRUTH_A.clone();
        for (int i = 0; i < 4; i++) {
            truth[i] = 255;
        }
        int[] allIgnored = new int[12];
        java.util.Arrays.fill(allIgnored, 255);
        MeanIoU miou = fresh(MeanIoU.builder().setNumClasses(3).optIgnoreIndex(255));
        update(miou, labels(truth, allIgnored), logits(3, PRED_A, PRED_B));
        double imageA = (1.0 / 4 + 2.0 / 3 + 1.0 / 2) / 3;
        assertArrayEquals(new double[] {imageA}, miou.getImageMeanIoUs("k"), 1e-12);
        assertEquals(imageA, miou.getPerImageMeanIoU("k"), 1e-12);
        assertEquals(imageA, miou.getPerClassMeanIoU("k"), 1e-12);
        assertEquals(miou.getAccumulator("k"), imageA, 1e-6); // one image: all three agree (float)
    }

    /**
     * A keep mask as the second label array (as {@code TverskyLoss} takes it) drops its 0 pixels
     * exactly as an ignore index does: the figures of {@link #ignoredPixelsAndFullyIgnoredImages}.
     */
    @Test
    void keepMaskCountsLikeIgnoredPixels() {
        int[] keepA = new int[12];
        java.util.Arrays.fill(keepA, 4, 12, 1);
        int[] keepNone = new int[12];
        MeanIoU masked = fresh(MeanIoU.builder().setNumClasses(3));
        masked.updateAccumulator("k", new ai.djl.ndarray.NDList(labels(TRUTH_A, TRUTH_B), labels(keepA, keepNone)),
                new ai.djl.ndarray.NDList(logits(3, PRED_A, PRED_B)));
        double imageA = (1.0 / 4 + 2.0 / 3 + 1.0 / 2) / 3;
        assertArrayEquals(new double[] {imageA}, masked.getImageMeanIoUs("k"), 1e-12);
        assertEquals(imageA, masked.getAccumulator("k"), 1e-6);
        // as for the losses, a keep mask and an ignore index together are rejected
        MeanIoU both = fresh(MeanIoU.builder().setNumClasses(3).optIgnoreIndex(255));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> both.updateAccumulator("k",
                new ai.djl.ndarray.NDList(labels(TRUTH_A, TRUTH_B), labels(keepA, keepNone)),
                new ai.djl.ndarray.NDList(logits(3, PRED_A, PRED_B))));
        assertTrue(e.getMessage().startsWith("a keep mask and the ignore index 255 were both given"), e.getMessage());
        MeanIoU miou = fresh(MeanIoU.builder().setNumClasses(3));
        assertThrows(IllegalArgumentException.class, () -> miou.updateAccumulator("k",
                new ai.djl.ndarray.NDList(labels(TRUTH_A, TRUTH_B), labels(keepA)),
                new ai.djl.ndarray.NDList(logits(3, PRED_A, PRED_B))));
    }

    /** A binary model's images count background and foreground, as its 2×2 matrix does. */
    @Test
    void binaryModelsCountTwoClassesPerImage() {
        // image 1: truth 1 1 0 0, logits > 0 at pixels 0 and 2: fg IoU 1/3, bg IoU 1/3
        // image 2: truth 0 0 0 0, predicted all background: bg IoU 1, fg appears nowhere
        MeanIoU miou = fresh(MeanIoU.builder().setNumClasses(1));
        update(miou, arrays.create(new long[] {1, 1, 0, 0, 0, 0, 0, 0}, 2, 1, 4),
                arrays.create(new double[] {2, -1, 3, -2, -1, -1, -1, -1}, 2, 1, 4));
        assertArrayEquals(new double[] {1.0 / 3, 1.0}, miou.getImageMeanIoUs("k"), 1e-12);
        assertEquals((1.0 / 3 + 1.0) / 2, miou.getPerImageMeanIoU("k"), 1e-12);
        assertEquals(((1.0 / 3 + 1.0) / 2 + 1.0 / 3) / 2, miou.getPerClassMeanIoU("k"), 1e-12);
    }
}
