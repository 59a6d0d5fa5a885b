package io.github.djllovasz.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import io.github.djllovasz.Kernel;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the two JMH classes ({@link SoftmaxBenchmark}, {@link HingeBenchmark}) share: a trial times
 * one call of one {@link #variant} per operation, at one shape, label kind and row layout.
 * {@link BenchmarkMain} sets the parameters, mode, time unit and iterations.
 */
@State(Scope.Benchmark)
public abstract class LossBenchmark {

    /** The variants, in table order. */
    public static final List<String> VARIANTS = List.of("ours", "engine", "floor", "loop", "ce");

    /** Label kind: {@code uniform} or {@code realistic}. */
    @Param({"uniform", "realistic"})
    public String labels;

    /** Rows per class (pooled, {@code false}) or per image ({@code true}); cross-entropy has none. */
    @Param({"false", "true"})
    public boolean perImage;

    /**
     * {@code ours} (the library loss as a user gets it: {@link Kernel#AUTO}, the host kernel on the
     * CPU), {@code engine} (the library loss with {@link Kernel#ENGINE}), {@code loop} ({@link
     * LoopBaseline}), {@code ce} or {@link #floor}.
     */
    @Param({"ours", "engine", "floor", "loop", "ce"})
    public String variant;

    /** The trial's inputs and label kind. */
    protected BenchInputs in;
    protected LabelKind kind;
    private DoubleSupplier call;

    /** Creates the inputs and the measured call of {@link #variant}. */
    @Setup(Level.Trial)
    public void setUp() {
        kind = LabelKind.parse(labels);
        in = inputs();
        Supplier<NDArray> loss = switch (variant) {
            case "ours" -> ours(Kernel.AUTO);
            case "engine" -> ours(Kernel.ENGINE);
            case "loop" -> loop();
            case "ce" -> ce();
            case "floor" -> null;
            default -> throw new IllegalArgumentException("variant must be one of " + VARIANTS + ", got " + variant);
        };
        NDArray[] rows = loss == null ? floorRows() : null;
        call = loss == null ? () -> floor(rows[0], rows[1]) : () -> forwardBackward(in.manager(), loss);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        in.close();
    }

    /** @return the loss value (the floor: an element of its result) of one measured call */
    @Benchmark
    public double call() {
        return call.getAsDouble();
    }

    /** @return the inputs of the trial's shape and {@link #kind} */
    protected abstract BenchInputs inputs();

    /** The variants' calls at the trial's settings: the library loss, the loop, cross-entropy. */
    protected abstract Supplier<NDArray> ours(Kernel kernel);

    protected abstract Supplier<NDArray> loop();

    protected abstract Supplier<NDArray> ce();

    /** @return the floor's error matrix and its float 0/1 foreground, same shape, in the inputs' manager */
    protected abstract NDArray[] floorRows();

    /**
     * @return the value of a loss after its forward and backward in a {@link GradientCollector}. The
     *     loss joins a sub-manager of {@code owner} before {@code backward}, which frees the seed
     *     gradient DJL creates in its manager; an {@link NDScope} frees the intermediates of code that
     *     does not close its own (the loop, DJL's cross-entropy). Reading it waits for a GPU.
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
     * The floor, forward only: one descending argSort of {@code errors} and one cumulative sum of
     * {@code foreground}, both {@code [R, N]}, along the rows. Returns an element of the result, read
     * so that the work is done (also on a GPU).
     */
    public static float floor(NDArray errors, NDArray foreground) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray order = errors.argSort(1, false);
            NDArray counts = foreground.cumSum(1);
            return counts.get(new NDIndex("0, -1")).getFloat() + order.get(new NDIndex("0, 0")).getLong();
        }
    }
}
