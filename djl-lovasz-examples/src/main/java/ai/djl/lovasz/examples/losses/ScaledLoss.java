package ai.djl.lovasz.examples.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * A loss multiplied by a constant weight, for weighted sums in DJL's {@code
 * SimpleCompositeLoss} (e.g. cross-entropy + λ·Lovász).
 */
public class ScaledLoss extends Loss {

    private final Loss inner;
    private final float weight;

    /**
     * Creates the scaled loss, named {@code weight*innerName}.
     *
     * @param inner the loss
     * @param weight the factor
     */
    public ScaledLoss(Loss inner, float weight) {
        super(weight + "*" + inner.getName());
        this.inner = inner;
        this.weight = weight;
    }

    /** @return the factor */
    public float getWeight() {
        return weight;
    }

    /** @return the wrapped loss */
    public Loss getInner() {
        return inner;
    }

    /**
     * Computes {@code weight · inner(labels, predictions)}.
     *
     * @param labels the labels
     * @param predictions the predictions
     * @return the scalar loss
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return inner.evaluate(labels, predictions).mul(weight);
    }
}
