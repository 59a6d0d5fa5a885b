package io.github.djllovasz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The kernels ({@link LovaszKernel#loss} and {@link LovaszKernel#hostLoss}: ignored pixels sorted
 * last at −∞, weights put back in pixel order) against the definition computed in plain Java: a full sort of each row's counted
 * pixels, Algorithm 1, {@code Σ_r coefficient_r · L_r} and its gradient, for both kinds of error,
 * with and without ignored pixels, a row without foreground included, with both kernels.
 */
class KernelDefinitionTest {

    private static final int ROWS = 3;
    private static final int LENGTH = 400;

    @ParameterizedTest
    @EnumSource(value = Kernel.class, names = {"ENGINE", "HOST"})
    void absoluteErrorsFollowTheDefinition(Kernel kernel) {
        check(Rows.Errors.ABSOLUTE, false, kernel);
        check(Rows.Errors.ABSOLUTE, true, kernel);
    }

    @ParameterizedTest
    @EnumSource(value = Kernel.class, names = {"ENGINE", "HOST"})
    void hingeErrorsFollowTheDefinition(Kernel kernel) {
        check(Rows.Errors.HINGE, false, kernel);
        check(Rows.Errors.HINGE, true, kernel);
    }

    private static void check(Rows.Errors kind, boolean withIgnored, Kernel kernel) {
        Random random = new Random(kind.ordinal() * 2 + (withIgnored ? 1 : 0));
        double[] v = new double[ROWS * LENGTH];
        boolean[] g = new boolean[v.length];
        boolean[] valid = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            g[i] = random.nextDouble() < 0.1;
            valid[i] = !withIgnored || random.nextDouble() > 0.2;
            g[i] &= valid[i];
            if (kind == Rows.Errors.ABSOLUTE) {
                v[i] = random.nextDouble();
            } else {
                v[i] = 2 * random.nextGaussian();
            }
        }
        g[LENGTH] = true; // the first two rows have foreground, the last has none
        Arrays.fill(g, 2 * LENGTH, 3 * LENGTH, false);
        valid[LENGTH] = true;
        double[] coefficients = {0.5, 0.3, 0.2};
        double[] expectedGradient = new double[v.length];
        double expected = 0;
        for (int r = 0; r < ROWS; r++) {
            expected += coefficients[r] * reference(kind, v, g, valid, r, coefficients[r], expectedGradient);
        }

        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray values = manager.create(v, new Shape(ROWS, LENGTH));
            values.setRequiresGradient(true);
            NDArray foreground = manager.create(g, new Shape(ROWS, LENGTH));
            NDArray validity = withIgnored ? manager.create(valid, new Shape(ROWS, LENGTH)) : null;
            NDArray loss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                loss = kernel == Kernel.HOST
                        ? LovaszKernel.hostLoss(hostRows(kind, values, g, valid, withIgnored, coefficients))
                        : LovaszKernel.loss(new Rows(values, foreground, validity, kind, coefficients));
                collector.backward(loss);
            }
            assertEquals(expected, loss.getDouble(), 1e-12);
            double[] gradient = values.getGradient().toDoubleArray();
            for (int i = 0; i < v.length; i++) {
                // exactly 0 at ignored pixels
                assertEquals(expectedGradient[i], gradient[i], valid[i] ? 1e-12 : 0, "gradient at " + i);
            }
        }
    }

    /**
     * The same rows for the host kernel, which reads class ids: one image per row (per image
     * groups), label 1 where {@code g}, −1 where ignored.
     */
    private static HostRows hostRows(
            Rows.Errors kind, NDArray values, boolean[] g, boolean[] valid, boolean withIgnored, double[] coefficients) {
        long[] ids = new long[g.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = valid[i] ? (g[i] ? 1 : 0) : -1;
        }
        NDArray labels = values.getManager().create(ids);
        Integer ignore = withIgnored ? -1 : null;
        return kind == Rows.Errors.HINGE
                ? HostRows.ofHinge(values, labels, ROWS, coefficients, ignore)
                : HostRows.ofClasses(values.reshape(ROWS, 1, LENGTH), 1, labels, ROWS, new long[] {1}, coefficients, ignore);
    }

    /** One row by the definition: a full sort of its counted pixels, Algorithm 1, the gradient. */
    private static double reference(
            Rows.Errors kind, double[] v, boolean[] g, boolean[] valid, int r, double coefficient, double[] gradient) {
        Integer[] counted =
                java.util.stream.IntStream.range(r * LENGTH, (r + 1) * LENGTH)
                        .filter(i -> valid[i])
                        .boxed()
                        .toArray(Integer[]::new);
        double[] e = new double[v.length];
        for (int i : counted) {
            double sign = g[i] ? -1 : 1;
            e[i] = sign * v[i] + (kind == Rows.Errors.ABSOLUTE ? (g[i] ? 1 : 0) : 1);
        }
        Arrays.sort(counted, Comparator.comparingDouble((Integer i) -> -e[i]));
        int foreground = 0;
        for (int i : counted) {
            foreground += g[i] ? 1 : 0;
        }
        double loss = 0;
        double previous = 0;
        int cumulative = 0;
        for (int k = 0; k < counted.length; k++) {
            int i = counted[k];
            cumulative += g[i] ? 1 : 0;
            double jaccard = (k + 1.0) / (foreground + k + 1.0 - cumulative);
            double w = jaccard - previous;
            previous = jaccard;
            boolean active = kind == Rows.Errors.ABSOLUTE || e[i] > 0;
            if (active) {
                loss += w * e[i];
                gradient[i] = coefficient * w * (g[i] ? -1 : 1);
            }
        }
        return loss;
    }
}
