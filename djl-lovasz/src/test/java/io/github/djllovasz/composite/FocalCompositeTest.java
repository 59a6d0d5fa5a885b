package io.github.djllovasz.composite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SimpleCompositeLoss;
import io.github.djllovasz.LovaszSoftmaxLoss;
import io.github.djllovasz.SegmentationCrossEntropyLoss;
import io.github.djllovasz.SegmentationLosses;
import io.github.djllovasz.TverskyLoss;
import io.github.djllovasz.testutil.Grad;
import io.github.djllovasz.testutil.SeededArrays;
import io.github.djllovasz.testutil.TestArrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CE + λ·loss with a cross-entropy of one's own (class weights, focal γ), and its contract check. */
class FocalCompositeTest {

    @RegisterExtension final TestArrays arrays = TestArrays.perTest();
    private final SeededArrays random = arrays.seeded(2020);

    private static final int B = 2;
    private static final int C = 3;
    private static final int IGNORE = 255;

    private static Grad grad(Loss loss, NDArray labels, NDArray x) {
        return Grad.of(x, a -> loss.evaluate(new NDList(labels), new NDList(a)));
    }

    /** The composite's value and gradient are the CE's plus λ times the partner's, each computed alone. */
    private static void assertSum(Loss composite, Loss ce, Loss partner, double lambda, NDArray y, NDArray x) {
        Grad both = grad(composite, y, x);
        Grad first = grad(ce, y, x);
        Grad second = grad(partner, y, x);
        assertEquals(first.loss + lambda * second.loss, both.loss, 1e-12, composite.getName());
        for (int j = 0; j < both.gradient.length; j++) {
            assertEquals(first.gradient[j] + lambda * second.gradient[j], both.gradient[j], 1e-12,
                    composite.getName() + ", gradient " + j);
        }
        assertTrue(first.loss > 0 && second.loss > 0, "both terms count");
    }

    @Test
    void compositesAreTheGivenCrossEntropyPlusLambdaTimesTheLoss() {
        NDArray x = random.logits(B, C, 4, 5);
        NDArray y = random.labelsIgnoring(C, 5, IGNORE, B, 4, 5);
        SegmentationCrossEntropyLoss focal = SegmentationCrossEntropyLoss.builder()
                .optIgnoreIndex(IGNORE).optClassWeights(0.5, 1, 2).optGamma(2).build();
        LovaszSoftmaxLoss lovasz = LovaszSoftmaxLoss.builder().optIgnoreIndex(IGNORE).build();
        TverskyLoss jaccard = TverskyLoss.jaccard().optIgnoreIndex(IGNORE).build();
        TverskyLoss dice = TverskyLoss.dice().optIgnoreIndex(IGNORE).build();
        SimpleCompositeLoss withLovasz = SegmentationLosses.crossEntropyPlusLovasz(focal, lovasz, 0.5);
        SimpleCompositeLoss withJaccard = SegmentationLosses.crossEntropyPlusJaccard(focal, jaccard, 3);
        SimpleCompositeLoss withDice = SegmentationLosses.crossEntropyPlusDice(focal, dice, 0.75);
        assertSum(withLovasz, focal, lovasz, 0.5, y, x);
        assertSum(withJaccard, focal, jaccard, 3, y, x);
        assertSum(withDice, focal, dice, 0.75, y, x);
        assertEquals("CrossEntropyPlusLovaszLoss", withLovasz.getName());
        assertEquals("CrossEntropyPlusJaccardLoss", withJaccard.getName());
        assertEquals("CrossEntropyPlusDiceLoss", withDice.getName());
        // the focal CE is really the one used: it differs from the plain CE
        double plain = Grad.value(x, a -> SegmentationCrossEntropyLoss.builder().optIgnoreIndex(IGNORE).build().evaluate(y, a));
        double focalValue = Grad.value(x, a -> focal.evaluate(y, a));
        assertTrue(Math.abs(plain - focalValue) > 1e-3, plain + " vs " + focalValue);
    }

    /** Label smoothing may differ (a smoothed CE beside an unsmoothed Jaccard loss); soft labels reach both. */
    @Test
    void labelSmoothingMayDifferAndSoftLabelsWork() {
        NDArray x = random.logits(B, C, 4, 5);
        NDArray y = random.labels(C, B, 4, 5);
        SegmentationCrossEntropyLoss smoothed =
                SegmentationCrossEntropyLoss.builder().optLabelSmoothing(0.1).optGamma(0.5).build();
        TverskyLoss jaccard = TverskyLoss.jaccard().build();
        assertSum(SegmentationLosses.crossEntropyPlusJaccard(smoothed, jaccard, 2), smoothed, jaccard, 2, y, x);
        LovaszSoftmaxLoss lovasz = LovaszSoftmaxLoss.builder().build();
        assertSum(SegmentationLosses.crossEntropyPlusLovasz(smoothed, lovasz, 1), smoothed, lovasz, 1, y, x);
        NDArray soft = random.logits(B, C, 4, 5).softmax(1);
        SegmentationCrossEntropyLoss softFocal =
                SegmentationCrossEntropyLoss.builder().optSoftLabels(true).optClassWeights(1, 2, 3).optGamma(2).build();
        TverskyLoss softDice = TverskyLoss.dice().optSoftLabels(true).build();
        assertSum(SegmentationLosses.crossEntropyPlusDice(softFocal, softDice, 0.5), softFocal, softDice, 0.5, soft, x);
    }

    /** Contracts that differ in what the inputs are are rejected, naming both contracts. */
    @Test
    void mismatchedContractsAreRejectedNamingBoth() {
        SegmentationCrossEntropyLoss ce = SegmentationCrossEntropyLoss.builder().optIgnoreIndex(IGNORE).optGamma(2).build();
        LovaszSoftmaxLoss[] lovaszes = {
            LovaszSoftmaxLoss.builder().build(),
            LovaszSoftmaxLoss.builder().optIgnoreIndex(0).build(),
            LovaszSoftmaxLoss.builder().optIgnoreIndex(IGNORE).optClassAxis(-1).build(),
            LovaszSoftmaxLoss.builder().optIgnoreIndex(IGNORE).optFromLogits(false).build(),
        };
        for (LovaszSoftmaxLoss lovasz : lovaszes) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SegmentationLosses.crossEntropyPlusLovasz(ce, lovasz, 1));
            assertTrue(e.getMessage().contains("{" + ce.getInputContract() + "}")
                    && e.getMessage().contains("Lovász loss's {" + lovasz.getInputContract() + "}"), e.getMessage());
        }
        TverskyLoss softJaccard = TverskyLoss.jaccard().optSoftLabels(true).build();
        SegmentationCrossEntropyLoss ids = SegmentationCrossEntropyLoss.builder().build();
        IllegalArgumentException soft = assertThrows(IllegalArgumentException.class,
                () -> SegmentationLosses.crossEntropyPlusJaccard(ids, softJaccard, 1));
        assertTrue(soft.getMessage().contains("Jaccard loss's {" + softJaccard.getInputContract() + "}"), soft.getMessage());
        TverskyLoss dice = TverskyLoss.dice().optIgnoreIndex(IGNORE).optClassAxis(-1).build();
        IllegalArgumentException axis = assertThrows(IllegalArgumentException.class,
                () -> SegmentationLosses.crossEntropyPlusDice(ce, dice, 1));
        assertTrue(axis.getMessage().contains("Dice loss's {" + dice.getInputContract() + "}"), axis.getMessage());
    }
}
