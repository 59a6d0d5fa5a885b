package io.github.djllovasz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The kernel's pieces that the public API does not show directly. */
class LovaszKernelTest {

    /** Float32 counts switch to float64 where float32 would stop being exact. */
    @Test
    void countTypeIsExactForLongRows() {
        assertEquals(DataType.FLOAT32, LovaszKernel.countType(DataType.FLOAT32, (1L << 24) - 1));
        assertEquals(DataType.FLOAT64, LovaszKernel.countType(DataType.FLOAT32, 1L << 24));
        assertEquals(DataType.FLOAT64, LovaszKernel.countType(DataType.FLOAT64, 10));
    }

    /**
     * Weights with ignored pixels sorted last, by hand. Sorted row: g = 1 0 1 0 0, the last two
     * pixels ignored (g = 0 there), |F| = 2. Foreground f = 1 1 2 2 2, union |F| + k − f =
     * 2 3 3 4 5, J = k / union = 1/2 2/3 1 1 1, w = 1/2 1/6 1/3 0 0: the ignored pixels after
     * every counted one get exactly 0.
     */
    @Test
    void jaccardWeightsOfPixelsSortedAfterEveryCountedPixelAreZero() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray g = manager.create(new double[] {1, 0, 1, 0, 0}, new Shape(1, 5));
            double[] w = LovaszKernel.jaccardWeights(g).toDoubleArray();
            assertArrayEquals(new double[] {0.5, 1.0 / 6, 1.0 / 3, 0, 0}, w, 1e-15);
            assertEquals(0.0, w[3], 0.0);
            assertEquals(0.0, w[4], 0.0);
            // No foreground: J = 1 from the first pixel on, w = 1 0 0.
            NDArray none = manager.zeros(new Shape(1, 3), DataType.FLOAT64);
            assertArrayEquals(new double[] {1, 0, 0}, LovaszKernel.jaccardWeights(none).toDoubleArray(), 0);
        }
    }
}
