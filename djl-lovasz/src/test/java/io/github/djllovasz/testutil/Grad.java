package io.github.djllovasz.testutil;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.function.Function;
import org.junit.jupiter.api.Assertions;

/** Loss value and gradient of a scalar function of one array, via the engine's autograd. */
public final class Grad {

    /** The loss as a double. */
    public final double loss;

    /** d loss / d input, flattened, as doubles. */
    public final double[] gradient;

    private Grad(double loss, double[] gradient) {
        this.loss = loss;
        this.gradient = gradient;
    }

    /**
     * Evaluates {@code f(x)} and its gradient.
     *
     * @param input the input; a fresh leaf copy of it is differentiated, so gradients of
     *     repeated calls never accumulate
     * @param f the scalar function
     * @return value and gradient
     */
    public static Grad of(NDArray input, Function<NDArray, NDArray> f) {
        NDArray x = input.duplicate();
        x.setRequiresGradient(true);
        double value;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = f.apply(x);
            value = toDoubles(loss)[0];
            collector.backward(loss);
        }
        Grad result = new Grad(value, toDoubles(x.getGradient()));
        x.close();
        return result;
    }

    /**
     * Evaluates {@code f(x)} without a gradient.
     *
     * @param x the input
     * @param f the scalar function
     * @return the value
     */
    public static double value(NDArray x, Function<NDArray, NDArray> f) {
        NDArray loss = f.apply(x);
        double v = toDoubles(loss)[0];
        loss.close();
        return v;
    }

    /**
     * Asserts that autograd equals central finite differences (step 1e-6) within 1e-7, at every
     * seventh entry of a float64 input.
     *
     * @param what the case, for the message
     * @param x the float64 input
     * @param f the scalar function
     */
    public static void assertMatchesFiniteDifferences(String what, NDArray x, Function<NDArray, NDArray> f) {
        double[] analytic = of(x, f).gradient;
        double[] values = x.toDoubleArray();
        double eps = 1e-6;
        for (int i = 0; i < values.length; i += 7) {
            double[] up = values.clone();
            double[] down = values.clone();
            up[i] += eps;
            down[i] -= eps;
            double fu = value(x.getManager().create(up, x.getShape()), f);
            double fd = value(x.getManager().create(down, x.getShape()), f);
            double numeric = (fu - fd) / (2 * eps);
            Assertions.assertEquals(numeric, analytic[i], 1e-7, what + " d/dx[" + i + "]");
        }
    }

    /**
     * Copies an array to doubles.
     *
     * @param array any numeric array
     * @return its values, row-major
     */
    public static double[] toDoubles(NDArray array) {
        if (array.getDataType() == DataType.FLOAT64) {
            return array.toDoubleArray();
        }
        try (NDArray wide = array.toType(DataType.FLOAT64, true)) {
            return wide.toDoubleArray();
        }
    }
}
