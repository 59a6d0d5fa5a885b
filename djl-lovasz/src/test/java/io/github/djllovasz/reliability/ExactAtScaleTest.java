package io.github.djllovasz.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import io.github.djllovasz.LovaszSoftmaxLoss;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * Counts stay exact past 2^24 pixels per row, where float32 cumulative sums of 0/1 masks stop
 * being exact: at 0/1 probabilities the loss is exactly the mean over classes of 1 − IoU.
 */
class ExactAtScaleTest {

    @Test
    void zeroOneLossEqualsIntegerIouBeyondTwoToTheTwentyFour() {
        int side = 4100; // 16,810,000 pixels > 2^24 = 16,777,216 in each class row
        Engine.getInstance().setRandomSeed(24);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray truth = manager.randomInteger(0, 2, new Shape(1, side, side), DataType.INT64);
            // The prediction disagrees with the truth on about 30 % of the pixels.
            NDArray flip = manager.randomUniform(0f, 1f, new Shape(1, side, side)).lt(0.3f);
            NDArray predicted = truth.toType(DataType.BOOLEAN, false).logicalXor(flip);
            NDArray probas =
                    predicted.logicalNot().toType(DataType.FLOAT64, false).expandDims(1)
                            .concat(predicted.toType(DataType.FLOAT64, false).expandDims(1), 1);
            assertTrue(probas.getShape().get(2) * probas.getShape().get(3) > (1L << 24));

            double expected = 0;
            NDArray truthFg = truth.eq(1);
            for (boolean fg : new boolean[] {false, true}) {
                NDArray t = fg ? truthFg : truthFg.logicalNot();
                NDArray p = fg ? predicted : predicted.logicalNot();
                long intersection = t.logicalAnd(p).countNonzero().getLong();
                long union = t.logicalOr(p).countNonzero().getLong();
                expected += 1.0 - (double) intersection / union;
            }
            expected /= 2;

            LovaszSoftmaxLoss loss = LovaszSoftmaxLoss.builder().optFromLogits(false).build();
            double got = loss.evaluate(truth, probas).getDouble();
            assertEquals(expected, got, 1e-12, "mean over both classes of 1 − IoU");
        }
    }
}
