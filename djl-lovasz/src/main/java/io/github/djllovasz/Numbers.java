package io.github.djllovasz;

import ai.djl.ndarray.types.DataType;

/** Scalar operands in an array's own type: a Java double would promote float32 to float64. */
final class Numbers {

    private Numbers() {}

    /**
     * The value as a {@code Double} for float64 arrays, as a {@code Float} otherwise.
     *
     * @param type the array's type
     * @param value the value
     * @return the operand
     */
    static Number of(DataType type, double value) {
        return type == DataType.FLOAT64 ? (Number) value : (Number) (float) value;
    }
}
