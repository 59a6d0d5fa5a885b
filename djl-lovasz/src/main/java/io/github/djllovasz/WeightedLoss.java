package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import java.util.Objects;

/**
 * A loss times a constant, for weighted terms of a DJL {@code SimpleCompositeLoss}:
 *
 * <pre>
 *   loss = λ · L
 * </pre>
 *
 * <p>The value keeps the wrapped loss's type (a float32 loss stays float32). Evaluated once per
 * training step ({@link EvaluateOnceLoss}).
 */
public class WeightedLoss extends EvaluateOnceLoss {

    private final Loss loss;
    private final double weight;

    /**
     * Creates the loss from a builder.
     *
     * @param builder the settings
     */
    protected WeightedLoss(Builder builder) {
        super(builder.name != null ? builder.name : "Weighted" + builder.loss.getName());
        this.loss = builder.loss;
        this.weight = builder.weight;
    }

    /** @return a builder; {@link Builder#setLoss} and {@link Builder#setWeight} are required */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    protected NDArray computeLoss(NDList labels, NDList predictions) {
        NDArray value = loss.evaluate(labels, predictions);
        // An engine-owned factor in the loss's type: DJL's mul(Number) hands the autograd graph
        // a temporary over Java memory, read again by backward (EngineQuirks.constant).
        return Scoped.compute(() -> value.mul(EngineQuirks.constant(value, weight)), value);
    }

    /** @return the wrapped loss */
    public Loss getLoss() {
        return loss;
    }

    /** @return the factor λ */
    public double getWeight() {
        return weight;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return getName() + "{weight=" + weight + ", loss=" + loss.getName() + "}";
    }

    /** Builds a {@link WeightedLoss}. */
    public static final class Builder {
        private Loss loss;
        private Double weight;
        private String name;

        Builder() {}

        /**
         * Sets the loss to scale (required).
         *
         * @param loss the loss L
         * @return this builder
         */
        public Builder setLoss(Loss loss) {
            this.loss = Objects.requireNonNull(loss, "loss");
            return this;
        }

        /**
         * Sets the factor (required).
         *
         * @param weight λ, finite
         * @return this builder
         */
        public Builder setWeight(double weight) {
            if (!Double.isFinite(weight)) {
                throw new IllegalArgumentException("weight must be finite, got " + weight);
            }
            this.weight = weight;
            return this;
        }

        /**
         * Sets the name shown in training logs (default "Weighted" + the loss's name).
         *
         * @param name the name
         * @return this builder
         */
        public Builder optName(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         * @throws IllegalStateException if the loss or the weight is not set
         */
        public WeightedLoss build() {
            if (loss == null || weight == null) {
                throw new IllegalStateException(
                        "WeightedLoss needs setLoss(...) and setWeight(...), got loss " + loss
                                + " and weight " + weight);
            }
            return new WeightedLoss(this);
        }
    }
}
