package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/** A loss times a constant, {@code λ·L}, for weighted terms of a {@code SimpleCompositeLoss}. */
public class WeightedLoss extends EvaluateOnceLoss {

    private final Loss loss;
    private final double weight;

    /**
     * Creates the weighted loss, named {@code "λ·name"}.
     *
     * @param loss the loss
     * @param weight the factor λ, finite
     */
    public WeightedLoss(Loss loss, double weight) {
        super(weight + "·" + loss.getName());
        if (!Double.isFinite(weight)) {
            throw new IllegalArgumentException("weight must be finite, got " + weight);
        }
        this.loss = loss;
        this.weight = weight;
    }

    @Override
    protected NDArray computeLoss(NDList labels, NDList predictions) {
        NDArray value = loss.evaluate(labels, predictions);
        // A double would promote a float32 scalar loss to float64; keep the loss's type.
        if (value.getDataType() == DataType.FLOAT64) {
            return value.mul(weight);
        }
        return value.mul((float) weight);
    }

    /** @return the wrapped loss */
    public Loss getLoss() {
        return loss;
    }

    /** @return the factor λ */
    public double getWeight() {
        return weight;
    }
}
