package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Half-precision inputs are widened to float32 before anything else, keeping the autograd path,
 * so that the softmax, the sort keys and the sums run in float32 and the gradient comes back in
 * the input's type.
 */
final class Precision {

    private Precision() {}

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
        if ("PyTorch".equals(array.getManager().getEngine().getEngineName())) {
            // PyTorch's cast through DJL leaves the autograd graph; a product with a float32
            // array of ones promotes the type and keeps it (the gradient is cast back).
            return array.mul(array.getManager().ones(new Shape(1), DataType.FLOAT32));
        }
        return array.toType(DataType.FLOAT32, false);
    }
}
