package io.github.djllovasz.composite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.SimpleCompositeLoss;
import io.github.djllovasz.SegmentationLosses;
import io.github.djllovasz.SegmentationCrossEntropyLoss;
import io.github.djllovasz.TverskyLoss;
import io.github.djllovasz.testutil.Grad;
import io.github.djllovasz.testutil.SeededArrays;
import io.github.djllovasz.testutil.TestArrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cross-entropy with soft targets, and CE + λ·Jaccard / CE + λ·Dice, against hand computations. */
class SoftTargetCompositeTest {

    @RegisterExtension final TestArrays arrays = TestArrays.perTest();
    private final SeededArrays random = arrays.seeded(77);

    private static final int B = 2;
    private static final int C = 3;
    private static final int P = 10;

    /** {@code −Σ_c t(c)·log softmax(x)(c)} of one pixel. */
    private static double crossEntropy(double[] logits, double[] targets, int b, int i, double[] t) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < C; c++) {
            max = Math.max(max, logits[(b * C + c) * P + i]);
        }
        double z = 0;
        for (int c = 0; c < C; c++) {
            z += Math.exp(logits[(b * C + c) * P + i] - max);
        }
        double sum = 0;
        for (int c = 0; c < C; c++) {
            sum -= t[c] * (logits[(b * C + c) * P + i] - max - Math.log(z));
        }
        return sum;
    }

    /** Label smoothing ε: −Σ ((1 − ε)·[y = c] + ε/C)·log p_c, mean over the pixels not ignored. */
    @Test
    void labelSmoothedCrossEntropyByHand() {
        double eps = 0.1;
        double[] logits = random.normalValues(B * C * P, 2);
        long[] ids = random.labelValues(B * P, C, 4, 255);
        double sum = 0;
        int valid = 0;
        for (int b = 0; b < B; b++) {
            for (int i = 0; i < P; i++) {
                long y = ids[b * P + i];
                if (y == 255) {
                    continue;
                }
                double[] t = new double[C];
                for (int c = 0; c < C; c++) {
                    t[c] = (c == y ? 1 - eps : 0) + eps / C;
                }
                sum += crossEntropy(logits, null, b, i, t);
                valid++;
            }
        }
        NDArray x = arrays.create(logits, B, C, P);
        NDArray y = arrays.create(ids, B, P);
        SegmentationCrossEntropyLoss loss =
                SegmentationCrossEntropyLoss.builder().optLabelSmoothing(eps).optIgnoreIndex(255).build();
        Grad g = Grad.of(x, a -> loss.evaluate(y, a));
        assertEquals(sum / valid, g.loss, 1e-12);
        for (int b = 0; b < B; b++) {
            for (int i = 0; i < P; i++) {
                for (int c = 0; ids[b * P + i] == 255 && c < C; c++) {
                    assertEquals(0.0, g.gradient[(b * C + c) * P + i], 0.0, "ignored pixel");
                }
            }
        }
        // ε = 0 with soft one-hot targets is the class-id cross-entropy
        double plain = Grad.value(x, a -> SegmentationCrossEntropyLoss.builder().optIgnoreIndex(255).build().evaluate(y, a));
        double smoothedZero = Grad.value(x, a -> SegmentationCrossEntropyLoss.builder()
                .optIgnoreIndex(255).optLabelSmoothing(0).build().evaluate(y, a));
        assertEquals(plain, smoothedZero, 0.0);
    }

    /** Soft labels with a keep mask: −Σ_c t(c)·log p_c, mean over the kept pixels. */
    @Test
    void softLabelCrossEntropyWithKeepMaskByHand() {
        double[] logits = random.normalValues(B * C * P, 2);
        NDArray soft = random.logits(B, C, P).softmax(1);
        double[] targets = soft.toDoubleArray();
        long[] keep = random.labelValues(B * P, 2);
        double sum = 0;
        int kept = 0;
        for (int b = 0; b < B; b++) {
            for (int i = 0; i < P; i++) {
                if (keep[b * P + i] == 0) {
                    continue;
                }
                double[] t = new double[C];
                for (int c = 0; c < C; c++) {
                    t[c] = targets[(b * C + c) * P + i];
                }
                sum += crossEntropy(logits, null, b, i, t);
                kept++;
            }
        }
        NDArray x = arrays.create(logits, B, C, P);
        NDArray mask = arrays.create(keep, B, P);
        SegmentationCrossEntropyLoss loss = SegmentationCrossEntropyLoss.builder().optSoftLabels(true).build();
        double got = Grad.value(x, a -> loss.evaluate(new NDList(soft, mask), new NDList(a)));
        assertEquals(sum / kept, got, 1e-12);
    }

    /** The composites are CE + λ·Jaccard and CE + λ·Dice, the CE taking the same targets. */
    @Test
    void compositesAreCrossEntropyPlusLambdaJaccardOrDice() {
        NDArray x = random.logits(B, C, 4, 5);
        NDArray y = random.labels(C, B, 4, 5);
        TverskyLoss jaccard = TverskyLoss.jaccard().optLabelSmoothing(0.1).build();
        TverskyLoss dice = TverskyLoss.dice().build();
        SimpleCompositeLoss jml = SegmentationLosses.crossEntropyPlusJaccard(jaccard, 3);
        SimpleCompositeLoss dml = SegmentationLosses.crossEntropyPlusDice(dice, 0.5);
        double smoothedCe = Grad.value(x, a -> SegmentationCrossEntropyLoss.builder().optLabelSmoothing(0.1).build().evaluate(y, a));
        double ce = Grad.value(x, a -> SegmentationCrossEntropyLoss.builder().build().evaluate(y, a));
        double j = Grad.value(x, a -> jaccard.evaluate(y, a));
        double d = Grad.value(x, a -> dice.evaluate(y, a));
        assertEquals(smoothedCe + 3 * j, Grad.value(x, a -> jml.evaluate(new NDList(y), new NDList(a))), 1e-12);
        assertEquals(ce + 0.5 * d, Grad.value(x, a -> dml.evaluate(new NDList(y), new NDList(a))), 1e-12);
        assertEquals("CrossEntropyPlusJaccardLoss", jml.getName());
        NDArray total = dml.evaluate(new NDList(y), new NDList(x.toType(DataType.FLOAT32, false)));
        assertEquals(DataType.FLOAT32, total.getDataType(), "the loss keeps float32");
        // soft labels reach both terms
        NDArray soft = random.logits(B, C, 4, 5).softmax(1);
        TverskyLoss softJaccard = TverskyLoss.jaccard().optSoftLabels(true).build();
        double softCe = Grad.value(x, a -> SegmentationCrossEntropyLoss.builder().optSoftLabels(true).build().evaluate(soft, a));
        double softJ = Grad.value(x, a -> softJaccard.evaluate(soft, a));
        SimpleCompositeLoss softSum = SegmentationLosses.crossEntropyPlusJaccard(softJaccard, 0.75);
        assertEquals(softCe + 0.75 * softJ, Grad.value(x, a -> softSum.evaluate(new NDList(soft), new NDList(a))), 1e-12);
    }
}
