package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Scalar operands in an array's own type (a Java double would promote float32 to float64), and
 * scalar constants the autograd graph may keep.
 *
 * <p>Why constants: DJL's PyTorch {@code mul(Number)}, {@code div(Number)} and {@code
 * pow(Number)} wrap the number in a temporary array over Java-owned memory and close it after
 * the call, but the autograd graph keeps that array for the backward pass (the gradient of {@code
 * x·c} is {@code c}). If the JVM frees and reuses the memory before {@code backward}, the gradient
 * is garbage ({@code BackwardAfterScopeTest}). Operands of differentiable ops are therefore made
 * with {@link #constant}, engine-owned.
 */
final class Numbers {

    private Numbers() {}

    /**
     * The value as a {@code Double} for float64 arrays, as a {@code Float} otherwise: for operands
     * that the autograd graph does not keep (comparisons, additions, arrays without gradient).
     *
     * @param type the array's type
     * @param value the value
     * @return the operand
     */
    static Number of(DataType type, double value) {
        return type == DataType.FLOAT64 ? (Number) value : (Number) (float) value;
    }

    /**
     * An engine-owned scalar constant in the type of {@code like}, on its manager and device.
     *
     * @param like the array it will be combined with
     * @param value the value
     * @return a 0-dimensional array
     */
    static NDArray constant(NDArray like, double value) {
        NDArray wide = EngineQuirks.copyDoubles(like.getManager(), new double[] {value}).sum();
        return like.getDataType() == DataType.FLOAT64 ? wide : wide.toType(like.getDataType(), false);
    }
}
