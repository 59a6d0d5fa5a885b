package io.github.djllovasz.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import java.util.function.Supplier;

/**
 * One measured call, the same for every variant: everything it creates is freed before it
 * returns, and it ends by copying a scalar to the host, which on a GPU waits for the queued work.
 */
public final class Steps {

    private Steps() {}

    /**
     * Forward and backward of a loss inside a {@link GradientCollector}.
     *
     * <p>The loss is attached to a per-step sub-manager of {@code owner} before the backward pass,
     * so the ones-like seed gradient that DJL's {@code backward} creates in the loss's manager is
     * freed with it; an {@link NDScope} frees the intermediates of code that does not close its
     * own (the loop baseline, DJL's cross-entropy).
     *
     * @param owner the manager of the inputs
     * @param loss computes the scalar loss
     * @return the loss value
     */
    public static float forwardBackward(NDManager owner, Supplier<NDArray> loss) {
        try (NDManager step = owner.newSubManager();
                NDScope scope = new NDScope();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            scope.suppressNotUsedWarning();
            NDArray value = loss.get();
            value.attach(step);
            collector.backward(value);
            return value.getFloat();
        }
    }

    /**
     * The floor: one descending argSort of {@code errors} along its rows and one cumulative sum
     * of {@code foreground} along its rows, forward only.
     *
     * @param errors {@code [R, N]}
     * @param foreground {@code [R, N]} float
     * @return an element of the result (read so that the work is done, also on a GPU)
     */
    public static float floor(NDArray errors, NDArray foreground) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray order = errors.argSort(1, false);
            NDArray counts = foreground.cumSum(1);
            return counts.get(new NDIndex("0, -1")).getFloat()
                    + order.get(new NDIndex("0, 0")).getLong();
        }
    }
}
