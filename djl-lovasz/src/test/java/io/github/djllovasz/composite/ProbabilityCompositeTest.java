package io.github.djllovasz.composite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import io.github.djllovasz.LovaszSoftmaxLoss;
import io.github.djllovasz.SegmentationLosses;
import io.github.djllovasz.TverskyLoss;
import io.github.djllovasz.testutil.TestArrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The composites hand their loss's whole input contract to the cross-entropy: built from a loss
 * that takes probabilities, the cross-entropy takes {@code log p} of the same probabilities (not
 * {@code log softmax p}), counted here by hand.
 */
class ProbabilityCompositeTest {

    @RegisterExtension final TestArrays arrays = TestArrays.perTest();

    private static final int B = 2;
    private static final int C = 3;
    private static final int PIXELS = 4;
    private static final long[] IDS = {0, 1, 2, 255, 2, 2, 0, 1};

    /** Class probabilities [B, C, 2, 2], a softmax of fixed numbers. */
    private double[] probabilities() {
        double[] p = new double[B * C * PIXELS];
        for (int b = 0; b < B; b++) {
            for (int i = 0; i < PIXELS; i++) {
                double sum = 0;
                for (int c = 0; c < C; c++) {
                    sum += Math.exp(Math.sin(1 + b * 7 + c * 3 + i * 5));
                }
                for (int c = 0; c < C; c++) {
                    p[(b * C + c) * PIXELS + i] = Math.exp(Math.sin(1 + b * 7 + c * 3 + i * 5)) / sum;
                }
            }
        }
        return p;
    }

    /** −(1/|V|) Σ_i Σ_c t_ic log p_ic over the kept pixels, t the (smoothed) one-hot of the ids. */
    private static double crossEntropy(double[] p, long[] ids, Integer ignore, double epsilon) {
        double sum = 0;
        int kept = 0;
        for (int b = 0; b < B; b++) {
            for (int i = 0; i < PIXELS; i++) {
                long y = ids[b * PIXELS + i];
                if (ignore != null && y == ignore) {
                    continue;
                }
                kept++;
                for (int c = 0; c < C; c++) {
                    double t = (c == y ? 1 - epsilon : 0) + epsilon / C;
                    sum -= t * Math.log(p[(b * C + c) * PIXELS + i]);
                }
            }
        }
        return sum / kept;
    }

    private static double value(Loss loss, NDArray labels, NDArray predictions) {
        return loss.evaluate(new NDList(labels), new NDList(predictions)).getDouble();
    }

    @Test
    void crossEntropyPlusLovaszOnProbabilities() {
        double[] p = probabilities();
        NDArray probas = arrays.create(p, B, C, 2, 2);
        NDArray labels = arrays.create(IDS, B, 2, 2);
        LovaszSoftmaxLoss lovasz = LovaszSoftmaxLoss.builder().optFromLogits(false).optIgnoreIndex(255).build();
        double expected = crossEntropy(p, IDS, 255, 0) + 0.5 * value(lovasz, labels, probas);
        assertEquals(expected, value(SegmentationLosses.crossEntropyPlusLovasz(lovasz, 0.5), labels, probas), 1e-12);
        // and the switch's cross-entropy phase
        assertEquals(crossEntropy(p, IDS, 255, 0),
                value(SegmentationLosses.crossEntropyThenLovasz(lovasz, 1), labels, probas), 1e-12);
    }

    @Test
    void crossEntropyPlusJaccardOnProbabilitiesWithLabelSmoothing() {
        double[] p = probabilities();
        long[] ids = IDS.clone();
        ids[3] = 1;
        NDArray probas = arrays.create(p, B, C, 2, 2);
        NDArray labels = arrays.create(ids, B, 2, 2);
        TverskyLoss jaccard = TverskyLoss.jaccard().optFromLogits(false).optLabelSmoothing(0.1).build();
        double expected = crossEntropy(p, ids, null, 0.1) + 3 * value(jaccard, labels, probas);
        assertEquals(expected, value(SegmentationLosses.crossEntropyPlusJaccard(jaccard, 3), labels, probas), 1e-12);
    }
}
