package io.github.djllovasz.testutil;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Deterministic test inputs from one {@link Random} of a fixed seed: every call draws the next
 * values of that one stream, so the same calls in the same order give the same numbers.
 *
 * <p>Values: {@code random.nextGaussian() * scale} for normal values, {@code random.nextInt(classes)}
 * for labels. Arrays hold float64 values or int64 labels.
 */
public final class SeededArrays {

    /** The scale of {@link #logits(long...)}: N(0, 2²). */
    public static final double LOGIT_SCALE = 2;

    private final Supplier<NDManager> manager;
    private final Random random;

    SeededArrays(Supplier<NDManager> manager, long seed) {
        this.manager = manager;
        this.random = new Random(seed);
    }

    /**
     * Seeded arrays on the given manager.
     *
     * @param manager the manager that owns the arrays
     * @param seed the seed
     * @return the generator
     */
    public static SeededArrays of(NDManager manager, long seed) {
        return new SeededArrays(() -> manager, seed);
    }

    /**
     * Seeded values only (plain Java arrays); making an NDArray fails.
     *
     * @param seed the seed
     * @return the generator
     */
    public static SeededArrays of(long seed) {
        return new SeededArrays(
                () -> {
                    throw new IllegalStateException("SeededArrays.of(seed) makes values only; use of(manager, seed)");
                },
                seed);
    }

    /**
     * {@code n} values of N(0, scale²).
     *
     * @param n how many
     * @param scale the standard deviation
     * @return the values
     */
    public double[] normalValues(int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian() * scale;
        }
        return v;
    }

    /**
     * {@code n} labels in [0, classes).
     *
     * @param n how many
     * @param classes the number of classes
     * @return the labels
     */
    public long[] labelValues(int n, int classes) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextInt(classes);
        }
        return v;
    }

    /**
     * {@code n} labels in [0, classes), about one in {@code oneIn} of them {@code ignore} instead
     * (per pixel: {@code nextInt(oneIn) == 0 ? ignore : nextInt(classes)}).
     *
     * @param n how many
     * @param classes the number of classes
     * @param oneIn one pixel in how many is ignored, on average
     * @param ignore the ignore label
     * @return the labels
     */
    public long[] labelValues(int n, int classes, int oneIn, long ignore) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextInt(oneIn) == 0 ? ignore : random.nextInt(classes);
        }
        return v;
    }

    /**
     * A float64 array of N(0, scale²) values.
     *
     * @param shape the shape
     * @param scale the standard deviation
     * @return the array
     */
    public NDArray normal(Shape shape, double scale) {
        return manager.get().create(normalValues(Math.toIntExact(shape.size()), scale), shape);
    }

    /**
     * Float64 logits of N(0, 2²) ({@link #LOGIT_SCALE}).
     *
     * @param shape the shape
     * @return the array
     */
    public NDArray logits(long... shape) {
        return normal(new Shape(shape), LOGIT_SCALE);
    }

    /**
     * Int64 labels in [0, classes).
     *
     * @param classes the number of classes
     * @param shape the shape
     * @return the array
     */
    public NDArray labels(int classes, long... shape) {
        Shape s = new Shape(shape);
        return manager.get().create(labelValues(Math.toIntExact(s.size()), classes), s);
    }

    /**
     * Int64 labels in [0, classes), about one in {@code oneIn} set to {@code ignore}; see {@link
     * #labelValues(int, int, int, long)}.
     *
     * @param classes the number of classes
     * @param oneIn one pixel in how many is ignored, on average
     * @param ignore the ignore label
     * @param shape the shape
     * @return the array
     */
    public NDArray labelsIgnoring(int classes, int oneIn, long ignore, long... shape) {
        Shape s = new Shape(shape);
        return manager.get().create(labelValues(Math.toIntExact(s.size()), classes, oneIn, ignore), s);
    }

    /**
     * The next int of the stream, for draws the factories do not cover.
     *
     * @param bound the exclusive upper bound
     * @return a value in [0, bound)
     */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }
}
