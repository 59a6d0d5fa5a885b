package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.function.Supplier;

/** Runs a computation in a sub-manager so that every intermediate array is closed on return. */
final class Scoped {

    private Scoped() {}

    /**
     * Computes a result from inputs in a fresh sub-manager on the first input's device; the inputs
     * are attached to it temporarily, the result is attached to the first input's manager, and
     * everything else created meanwhile is closed.
     *
     * @param body the computation; arrays it creates from the inputs land in the scope
     * @param inputs the input arrays (the first one's manager receives the result)
     * @return the result
     */
    static NDArray compute(Supplier<NDArray> body, NDArray... inputs) {
        NDManager owner = inputs[0].getManager();
        try (NDManager scope = owner.newSubManager(inputs[0].getDevice())) {
            scope.tempAttachAll(inputs);
            NDArray result = body.get();
            result.attach(owner);
            return result;
        }
    }

    /**
     * {@link #compute(Supplier, NDArray...)} with the predictions first (their manager receives
     * the result) and every array of the labels list.
     *
     * @param body the computation
     * @param predictions the predictions
     * @param labels the labels (targets, and optionally a keep mask)
     * @return the result
     */
    static NDArray compute(Supplier<NDArray> body, NDArray predictions, NDList labels) {
        NDArray[] inputs = new NDArray[labels.size() + 1];
        inputs[0] = predictions;
        for (int i = 0; i < labels.size(); i++) {
            inputs[i + 1] = labels.get(i);
        }
        return compute(body, inputs);
    }
}
