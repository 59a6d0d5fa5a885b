package io.github.djllovasz.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the two JMH classes ({@link SoftmaxBenchmark}, {@link HingeBenchmark}) share: one trial
 * times one {@link #variant} at one shape, label kind and row layout, one call per operation.
 * {@link BenchmarkMain} sets the parameters, mode and iterations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public abstract class LossBenchmark {

    /** The variants, in table order. */
    public static final List<String> VARIANTS = List.of("ours", "floor", "loop", "ce");

    /** Label kind: {@code uniform} or {@code realistic}. */
    @Param({"uniform", "realistic"})
    public String labels;

    /** Rows per class (pooled, {@code false}) or per image ({@code true}); cross-entropy has none. */
    @Param({"false", "true"})
    public boolean perImage;

    /**
     * {@code ours} (the library loss, forward + backward), {@code floor} (one argSort of the error
     * matrix of the loss's row count and length + one cumSum, forward only), {@code loop}
     * ({@link LoopBaseline}, forward + backward) or {@code ce} (cross-entropy, forward + backward).
     */
    @Param({"ours", "floor", "loop", "ce"})
    public String variant;

    /** The trial's inputs. */
    protected BenchInputs in;

    /** The trial's label kind. */
    protected LabelKind kind;

    private DoubleSupplier call;

    /** Creates the inputs and the measured call of {@link #variant}. */
    @Setup(Level.Trial)
    public void setUp() {
        kind = LabelKind.parse(labels);
        in = inputs();
        Supplier<NDArray> loss = switch (variant) {
            case "ours" -> ours();
            case "loop" -> loop();
            case "ce" -> ce();
            case "floor" -> null;
            default -> throw new IllegalArgumentException("variant must be one of " + VARIANTS + ", got " + variant);
        };
        if (loss == null) {
            NDArray[] rows = floorRows();
            call = () -> floor(rows[0], rows[1]);
        } else {
            call = () -> forwardBackward(in.manager(), loss);
        }
    }

    /** Frees the inputs. */
    @TearDown(Level.Trial)
    public void tearDown() {
        in.close();
    }

    /**
     * One measured call.
     *
     * @return the loss value (or an element of the floor's result)
     */
    @Benchmark
    public double call() {
        return call.getAsDouble();
    }

    /** @return the inputs of the trial's shape and {@link #kind} */
    protected abstract BenchInputs inputs();

    /** @return the library loss of the trial's settings */
    protected abstract Supplier<NDArray> ours();

    /** @return the hand-written loop of the trial's settings */
    protected abstract Supplier<NDArray> loop();

    /** @return cross-entropy at the trial's shape */
    protected abstract Supplier<NDArray> ce();

    /** @return the floor's error matrix and its float 0/1 foreground, same shape, in the inputs' manager */
    protected abstract NDArray[] floorRows();

    /**
     * Forward and backward of a loss inside a {@link GradientCollector}. The loss is attached to a
     * per-step sub-manager before {@code backward}, so the ones-like seed gradient DJL creates in
     * the loss's manager is freed with it; an {@link NDScope} frees the intermediates of code that
     * does not close its own (the loop, DJL's cross-entropy). Reading the scalar waits for the
     * queued work on a GPU.
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
     * The floor: one descending argSort of {@code errors} along its rows and one cumulative sum of
     * {@code foreground} along its rows, forward only.
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
            return counts.get(new NDIndex("0, -1")).getFloat() + order.get(new NDIndex("0, 0")).getLong();
        }
    }
}
