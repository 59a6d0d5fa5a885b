package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.UnaryOperator;

/**
 * Everything that differs between DJL's engines, in one place.
 *
 * <ul>
 *   <li><b>In-place updates</b> ({@link #scratch}): counts, weights and sort keys carry no
 *       gradient, so on PyTorch they are updated in place, sparing a large buffer per step. MXNet
 *       refuses any in-place update while a gradient collector records, so there each step
 *       allocates. Results are identical.
 *   <li><b>Half precision</b> ({@link #widen}): float16 and bfloat16 predictions are widened to
 *       float32 first. PyTorch's cast through DJL leaves the autograd graph, so there the widening
 *       is a product with a float32 one (the gradient is cast back to the input's type).
 *   <li><b>Host arrays</b> ({@link #copyLongs}, {@link #copyDoubles}): DJL's PyTorch engine wraps
 *       Java arrays without copying them, and that memory goes with the Java buffer; an array the
 *       autograd graph keeps (row indices, coefficients) would then be read after it was freed by
 *       a backward pass that runs after the loss's scope closed. Such arrays are copied into
 *       engine-owned memory.
 * </ul>
 */
final class EngineQuirks {

    private EngineQuirks() {}

    /** Whether arrays of this manager live on the PyTorch engine. */
    static boolean isPyTorch(NDManager manager) {
        return "PyTorch".equals(manager.getEngine().getEngineName());
    }

    /**
     * Returns float16 and bfloat16 arrays as float32 (differentiably), others unchanged.
     *
     * @param array the predictions
     * @return the array to compute with
     */
    static NDArray widen(NDArray array) {
        DataType type = array.getDataType();
        if (type != DataType.FLOAT16 && type != DataType.BFLOAT16) {
            return array;
        }
        if (isPyTorch(array.getManager())) {
            return array.mul(array.getManager().ones(new Shape(1), DataType.FLOAT32));
        }
        return array.toType(DataType.FLOAT32, false);
    }

    /**
     * An engine-owned int64 array of Java values.
     *
     * @param manager the manager (and device) of the result
     * @param values the values
     * @return the array
     */
    static NDArray copyLongs(NDManager manager, long[] values) {
        try (NDArray wrapped = manager.create(values)) {
            return wrapped.duplicate();
        }
    }

    /**
     * An engine-owned float64 array of Java values.
     *
     * @param manager the manager (and device) of the result
     * @param values the values
     * @return the array
     */
    static NDArray copyDoubles(NDManager manager, double[] values) {
        try (NDArray wrapped = manager.create(values)) {
            return wrapped.duplicate();
        }
    }

    /**
     * Starts a chain of elementwise updates of an array that the caller owns and that needs no
     * gradient: in place where the engine allows it.
     *
     * @param value the array (it may be overwritten)
     * @return the chain
     */
    static Scratch scratch(NDArray value) {
        return new Scratch(value, isPyTorch(value.getManager()));
    }

    /** A chain of elementwise updates, in place on PyTorch, allocating elsewhere. */
    static final class Scratch {
        private NDArray value;
        private final boolean inPlace;

        private Scratch(NDArray value, boolean inPlace) {
            this.value = value;
            this.inPlace = inPlace;
        }

        private Scratch update(UnaryOperator<NDArray> inPlaceOp, UnaryOperator<NDArray> freshOp) {
            value = inPlace ? inPlaceOp.apply(value) : freshOp.apply(value);
            return this;
        }

        Scratch add(NDArray other) { return update(v -> v.addi(other), v -> v.add(other)); }

        Scratch add(Number other) { return update(v -> v.addi(other), v -> v.add(other)); }

        Scratch sub(NDArray other) { return update(v -> v.subi(other), v -> v.sub(other)); }

        Scratch sub(Number other) { return update(v -> v.subi(other), v -> v.sub(other)); }

        Scratch mul(NDArray other) { return update(v -> v.muli(other), v -> v.mul(other)); }

        Scratch mul(Number other) { return update(v -> v.muli(other), v -> v.mul(other)); }

        Scratch neg() { return update(NDArray::negi, NDArray::neg); }

        /** @return the current value */
        NDArray get() {
            return value;
        }
    }
}
