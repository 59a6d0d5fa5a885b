package io.github.djllovasz.examples.demos;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.Random;

/**
 * Initialises a parameter to fixed values, so that several runs start from one shared state.
 */
public class FixedInitializer implements Initializer {

    private final float[] values;

    /**
     * Creates the initializer.
     *
     * @param values the values, row-major in the parameter's shape
     */
    public FixedInitializer(float[] values) {
        this.values = values.clone();
    }

    /**
     * Values drawn uniformly from {@code [-bound, bound)}: PyTorch's default for a convolution
     * (bound {@code 1/sqrt(fan_in)} for both weight and bias).
     *
     * @param count how many
     * @param bound the bound
     * @param random the source
     * @return the initializer
     */
    public static FixedInitializer uniform(int count, double bound, Random random) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) ((2 * random.nextDouble() - 1) * bound);
        }
        return new FixedInitializer(v);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        if (shape.size() != values.length) {
            throw new IllegalArgumentException(
                    "parameter of shape " + shape + " needs " + shape.size() + " values, have "
                            + values.length);
        }
        return manager.create(values, shape).toType(dataType, false);
    }
}
