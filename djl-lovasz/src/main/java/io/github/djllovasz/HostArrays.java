package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Small arrays built from Java data that the autograd graph may keep (row indices, row
 * coefficients). DJL's PyTorch engine wraps Java data without copying it, and that memory is
 * released with the Java buffer; a backward pass after the loss's scope has closed would then
 * read freed memory. These arrays are therefore copied into engine-owned memory.
 */
final class HostArrays {

    private HostArrays() {}

    /**
     * An engine-owned int64 array.
     *
     * @param manager the manager (and device) of the result
     * @param values the values
     * @return the array
     */
    static NDArray longs(NDManager manager, long[] values) {
        try (NDArray wrapped = manager.create(values)) {
            return wrapped.duplicate();
        }
    }

    /**
     * An engine-owned float64 array.
     *
     * @param manager the manager (and device) of the result
     * @param values the values
     * @return the array
     */
    static NDArray doubles(NDManager manager, double[] values) {
        try (NDArray wrapped = manager.create(values)) {
            return wrapped.duplicate();
        }
    }
}
