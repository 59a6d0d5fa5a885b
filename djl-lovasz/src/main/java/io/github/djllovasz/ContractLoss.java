package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * A loss that holds an {@link InputContract} (and, in the subclass, its own scalar settings such
 * as class weights or the focal γ), computed from one predictions array in a scope that closes
 * every intermediate: the cross-entropy partners.
 */
abstract class ContractLoss extends EvaluateOnceLoss {

    /** What the loss expects of its inputs. */
    final InputContract input;

    ContractLoss(SettingsBuilder<?> builder) {
        super(builder.name);
        this.input = builder.inputContract();
    }

    /** {@inheritDoc} */
    @Override
    protected NDArray computeLoss(NDList labels, NDList predictions) {
        NDArray scores = predictions.singletonOrThrow();
        return Scoped.compute(() -> compute(labels, scores), scores, labels);
    }

    /**
     * Computes the loss inside the scope.
     *
     * @param labels the labels (targets, and optionally a keep mask)
     * @param predictions the single predictions array
     * @return the scalar loss
     */
    abstract NDArray compute(NDList labels, NDArray predictions);

    /** @return what the loss expects of its inputs */
    public InputContract getInputContract() {
        return input;
    }
}
