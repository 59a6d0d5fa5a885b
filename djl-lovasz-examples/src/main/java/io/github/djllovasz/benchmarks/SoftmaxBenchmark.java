package io.github.djllovasz.benchmarks;

import io.github.djllovasz.LovaszSoftmaxLoss;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Lovász-Softmax at one shape and label kind, three ways: the library ({@code ours}, forward and
 * backward), the floor (argSort + cumSum of a same-sized matrix, forward only) and the loop
 * baseline ({@link LoopBaseline}, forward and backward). {@link BenchmarkMain} sets the
 * parameters, mode and iterations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SoftmaxBenchmark {

    /** Shape {@code BxCxHxW}. */
    @Param("4x21x128x128")
    public String shape;

    /** Label kind: {@code uniform} or {@code realistic}. */
    @Param({"uniform", "realistic"})
    public String labels;

    /** Rows per class ({@code false}) or per image × class ({@code true}). */
    @Param({"false", "true"})
    public boolean perImage;

    private BenchInputs inputs;
    private LovaszSoftmaxLoss loss;

    /**
     * Creates the inputs on the device.
     *
     * @param params the trial, to build the floor's matrices only where they are used
     */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        LabelKind kind = LabelKind.parse(labels);
        inputs = BenchInputs.softmax(BenchShape.parse(shape), kind, 42);
        LovaszSoftmaxLoss.Builder builder = LovaszSoftmaxLoss.builder().optPerImage(perImage);
        if (kind.ignoreIndex() != null) {
            builder.optIgnoreIndex(kind.ignoreIndex());
        }
        loss = builder.build();
        if (params.getBenchmark().endsWith(".floor")) {
            inputs.prepareSoftmaxFloor(perImage);
        }
    }

    /** Frees the inputs. */
    @TearDown(Level.Trial)
    public void tearDown() {
        inputs.close();
    }

    /**
     * The library: {@link LovaszSoftmaxLoss} (PRESENT) forward and backward.
     *
     * @return the loss value
     */
    @Benchmark
    public float ours() {
        return Steps.forwardBackward(
                inputs.manager(), () -> loss.evaluate(inputs.labels(), inputs.logits()));
    }

    /**
     * The floor: argSort of the {@code [C, B·H·W]} (or {@code [B·C, H·W]}) error matrix and one
     * cumSum, forward only.
     *
     * @return an element of the result
     */
    @Benchmark
    public float floor() {
        return Steps.floor(inputs.floorErrors(), inputs.floorForeground());
    }

    /**
     * The hand-written loop over classes (and images), forward and backward.
     *
     * @return the loss value
     */
    @Benchmark
    public float loop() {
        return Steps.forwardBackward(
                inputs.manager(),
                () ->
                        LoopBaseline.softmax(
                                inputs.logits(), inputs.labels(), inputs.ignoreIndex(), perImage));
    }
}
