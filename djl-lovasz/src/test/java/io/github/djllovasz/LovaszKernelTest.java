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
     * Weights with ignored pixels, by hand. Sorted row: g = 1 0 0 1 0, v = 1 1 0 1 1 (the third
     * pixel ignored), |F| = 2. Counted pixels n = 1 2 2 3 4, foreground f = 1 1 1 2 2, union
     * |F| + n − f = 2 3 3 3 4, J = n / union = 1/2 2/3 2/3 1 1, w = 1/2 1/6 0 1/3 0.
     */
    @Test
    void jaccardWeightsSkipIgnoredPixels() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray g = manager.create(new boolean[] {true, false, false, true, false}, new Shape(1, 5));
            NDArray v = manager.create(new boolean[] {true, true, false, true, true}, new Shape(1, 5));
            double[] w = LovaszKernel.jaccardWeights(g, v, DataType.FLOAT64).toDoubleArray();
            assertArrayEquals(new double[] {0.5, 1.0 / 6, 0, 1.0 / 3, 0}, w, 1e-15);
            // No pixel ignored and no foreground: J = 1 from the first pixel on, w = 1 0 0.
            NDArray none = manager.create(new boolean[] {false, false, false}, new Shape(1, 3));
            assertArrayEquals(new double[] {1, 0, 0},
                    LovaszKernel.jaccardWeights(none, null, DataType.FLOAT64).toDoubleArray(), 1e-15);
        }
    }
}
