package io.github.djllovasz.metric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link ConfusionMatrix} on matrices whose figures are worked out by hand. */
class ConfusionMatrixTest {

    static final double EPS = 1e-12;

    // n[truth][pred]:
    //   5 1 0      row sums (truth)  6 9 5,  column sums (pred) 7 10 3,  total 20
    //   2 6 1      trace 5 + 6 + 2 = 13 → pixel accuracy 13/20 = 0.65
    //   0 3 2
    // IoU_0 = 5 / (5 + FP 2 + FN 1) = 5/8, IoU_1 = 6 / (6 + FP 4 + FN 3) = 6/13,
    // IoU_2 = 2 / (2 + FP 1 + FN 3) = 1/3.
    static final long[] HAND = {5, 1, 0, 2, 6, 1, 0, 3, 2};

    @Test
    void pixelAccuracyIsTraceOverTotal() {
        ConfusionMatrix matrix = ConfusionMatrix.of(3, HAND);
        assertEquals(20L, matrix.total());
        assertEquals(0.65, matrix.pixelAccuracy(), EPS);
        assertArrayEquals(new double[] {5.0 / 8, 6.0 / 13, 1.0 / 3}, matrix.classIoU(), EPS);
    }

    @Test
    void pixelAccuracyPoolsAddedCounts() {
        // HAND plus [[1,0,0],[0,0,4],[0,0,0]]: trace 13 + 1 = 14, total 20 + 5 = 25 → 14/25 = 0.56.
        ConfusionMatrix matrix = ConfusionMatrix.of(3, HAND);
        matrix.add(1, 0, 0, 0, 0, 4, 0, 0, 0);
        assertEquals(0.56, matrix.pixelAccuracy(), EPS);
    }

    @Test
    void pixelAccuracyEdgeCases() {
        assertTrue(Double.isNaN(new ConfusionMatrix(3).pixelAccuracy()), "nothing counted: NaN");
        ConfusionMatrix reset = ConfusionMatrix.of(3, HAND);
        reset.reset();
        assertTrue(Double.isNaN(reset.pixelAccuracy()), "after reset: NaN");
        // Every pixel wrong: [[0,4],[3,0]] → 0/7.
        assertEquals(0.0, ConfusionMatrix.of(2, 0, 4, 3, 0).pixelAccuracy(), EPS);
        // Every pixel right: [[7,0],[0,2]] → 9/9.
        assertEquals(1.0, ConfusionMatrix.of(2, 7, 0, 0, 2).pixelAccuracy(), EPS);
        assertEquals(1.0, ConfusionMatrix.of(1, 7).pixelAccuracy(), EPS);
    }
}
