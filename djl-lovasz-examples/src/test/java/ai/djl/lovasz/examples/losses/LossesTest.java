package ai.djl.lovasz.examples.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.lovasz.composite.WeightedLoss;
import ai.djl.lovasz.composite.SegmentationCrossEntropyLoss;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SimpleCompositeLoss;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LossesTest {

    private static final int B = 2;
    private static final int C = 3;
    private static final int H = 4;
    private static final int W = 5;

    @Test
    void crossEntropyMatchesDjlWithoutIgnore() {
        try (NDManager m = NDManager.newBaseManager()) {
            Random r = new Random(1);
            NDArray logits = m.create(gaussians(r, B * C * H * W), new Shape(B, C, H, W));
            float[] ids = labels(r, B * H * W, C, null);
            NDArray labels = m.create(ids, new Shape(B, H, W));
            float mine = new SegmentationCrossEntropyLoss("CrossEntropy", null, 1)
                    .evaluate(new NDList(labels), new NDList(logits)).getFloat();
            float djl = Loss.softmaxCrossEntropyLoss("ce", 1f, 1, true, true)
                    .evaluate(new NDList(labels.reshape(B, 1, H, W)), new NDList(logits))
                    .getFloat();
            assertEquals(djl, mine, 1e-6);
            assertEquals(reference(logits.toFloatArray(), ids, null), mine, 1e-5);
        }
    }

    @Test
    void crossEntropyIgnoresLabelAndItsGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            Random r = new Random(2);
            NDArray logits = m.create(gaussians(r, B * C * H * W), new Shape(B, C, H, W));
            float[] ids = labels(r, B * H * W, C, 255);
            NDArray labels = m.create(ids, new Shape(B, 1, H, W));
            logits.setRequiresGradient(true);
            float value;
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray loss = new SegmentationCrossEntropyLoss("ce", 255, 1).compute(logits, labels);
                value = loss.getFloat();
                gc.backward(loss);
            }
            assertEquals(reference(logits.toFloatArray(), ids, 255), value, 1e-5);
            float[] grad = logits.getGradient().toFloatArray();
            int ignored = 0;
            for (int b = 0; b < B; b++) {
                for (int p = 0; p < H * W; p++) {
                    if (ids[b * H * W + p] == 255) {
                        ignored++;
                        for (int c = 0; c < C; c++) {
                            assertEquals(0f, grad[(b * C + c) * H * W + p]);
                        }
                    }
                }
            }
            assertEquals(true, ignored > 0, "the fixture has ignored pixels");
        }
    }

    @Test
    void crossEntropyAllIgnoredIsZeroAndBadLabelFails() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.randomNormal(new Shape(1, C, 2, 2));
            NDArray allIgnored = m.full(new Shape(1, 2, 2), 255f);
            assertEquals(0.0, new SegmentationCrossEntropyLoss("ce", 255, 1)
                    .compute(logits, allIgnored).getFloat(), 0.0);
            NDArray bad = m.create(new float[] {0, 1, 2, 3}, new Shape(1, 2, 2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new SegmentationCrossEntropyLoss("ce", 255, 1).compute(logits, bad));
            assertEquals(true, e.getMessage().contains("label 3"), e.getMessage());
        }
    }

    @Test
    void binaryCrossEntropyMatchesReferenceWithIgnore() {
        try (NDManager m = NDManager.newBaseManager()) {
            Random r = new Random(3);
            float[] x = gaussians(r, B * H * W);
            for (int i = 0; i < x.length; i++) {
                x[i] *= 20; // large logits exercise the stable form
            }
            float[] y = labels(r, B * H * W, 2, 255);
            NDArray logits = m.create(x, new Shape(B, H, W));
            logits.setRequiresGradient(true);
            float value;
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray loss = new IgnoreIndexBinaryCrossEntropyLoss("bce", 255)
                        .compute(logits, m.create(y, new Shape(B, 1, H, W)));
                value = loss.getFloat();
                gc.backward(loss);
            }
            double sum = 0;
            int n = 0;
            float[] grad = logits.getGradient().toFloatArray();
            for (int i = 0; i < x.length; i++) {
                if (y[i] == 255) {
                    assertEquals(0f, grad[i]);
                    continue;
                }
                sum += Math.max(x[i], 0) - x[i] * y[i] + Math.log1p(Math.exp(-Math.abs(x[i])));
                n++;
            }
            assertEquals(sum / n, value, 1e-4);
        }
    }

    @Test
    void scaledLossInCompositeGivesWeightedSum() {
        try (NDManager m = NDManager.newBaseManager()) {
            Random r = new Random(4);
            NDArray logits = m.create(gaussians(r, B * C * H * W), new Shape(B, C, H, W));
            NDArray labels = m.create(labels(r, B * H * W, C, null), new Shape(B, H, W));
            Loss ce = new SegmentationCrossEntropyLoss("CrossEntropy", null, 1);
            Loss combined = new SimpleCompositeLoss("sum")
                    .addLoss(ce)
                    .addLoss(new WeightedLoss(new SegmentationCrossEntropyLoss("CrossEntropy", null, 1), 0.5f));
            float single = ce.evaluate(new NDList(labels), new NDList(logits)).getFloat();
            float sum = combined.evaluate(new NDList(labels), new NDList(logits)).getFloat();
            assertEquals(1.5f * single, sum, 1e-5);
            assertArrayEquals(new long[] {}, combined.evaluate(new NDList(labels),
                    new NDList(logits)).getShape().getShape());
        }
    }

    private static double reference(float[] logits, float[] ids, Integer ignore) {
        double sum = 0;
        int n = 0;
        for (int b = 0; b < B; b++) {
            for (int p = 0; p < H * W; p++) {
                int label = (int) ids[b * H * W + p];
                if (ignore != null && label == ignore) {
                    continue;
                }
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < C; c++) {
                    max = Math.max(max, logits[(b * C + c) * H * W + p]);
                }
                double z = 0;
                for (int c = 0; c < C; c++) {
                    z += Math.exp(logits[(b * C + c) * H * W + p] - max);
                }
                sum -= logits[(b * C + label) * H * W + p] - max - Math.log(z);
                n++;
            }
        }
        return sum / n;
    }

    private static float[] gaussians(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private static float[] labels(Random r, int n, int classes, Integer ignore) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = ignore != null && i % 4 == 1 ? ignore : r.nextInt(classes);
        }
        return v;
    }
}
