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
 * Lovász-Softmax (pooled, PRESENT) at a growing pixel count P = 2^k with a fixed class count, one
 * image of {@code 2^⌊k/2⌋ × 2^⌈k/2⌉} pixels, with the floor beside it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ScalingBenchmark {

    /** log2 of the pixel count P. */
    @Param("16")
    public int log2Pixels;

    /** The fixed class count C. */
    @Param("8")
    public int scalingClasses;

    /** Label kind. */
    @Param("realistic")
    public String scalingLabels;

    private BenchInputs inputs;
    private LovaszSoftmaxLoss loss;

    /**
     * The shape of one point of the scaling run.
     *
     * @param log2Pixels k, with P = 2^k
     * @param classes C
     * @return {@code [1, C, 2^⌊k/2⌋, 2^⌈k/2⌉]}
     */
    public static BenchShape shapeFor(int log2Pixels, int classes) {
        return new BenchShape(1, classes, 1 << (log2Pixels / 2), 1 << (log2Pixels - log2Pixels / 2));
    }

    /**
     * Creates the inputs on the device.
     *
     * @param params the trial, to build the floor's matrices only where they are used
     */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        LabelKind kind = LabelKind.parse(scalingLabels);
        inputs = BenchInputs.softmax(shapeFor(log2Pixels, scalingClasses), kind, 44);
        LovaszSoftmaxLoss.Builder builder = LovaszSoftmaxLoss.builder();
        if (kind.ignoreIndex() != null) {
            builder.optIgnoreIndex(kind.ignoreIndex());
        }
        loss = builder.build();
        if (params.getBenchmark().endsWith(".floor")) {
            inputs.prepareSoftmaxFloor(false);
        }
    }

    /** Frees the inputs. */
    @TearDown(Level.Trial)
    public void tearDown() {
        inputs.close();
    }

    /**
     * The library, forward and backward.
     *
     * @return the loss value
     */
    @Benchmark
    public float ours() {
        return Steps.forwardBackward(
                inputs.manager(), () -> loss.evaluate(inputs.labels(), inputs.logits()));
    }

    /**
     * The floor at the same size, forward only.
     *
     * @return an element of the result
     */
    @Benchmark
    public float floor() {
        return Steps.floor(inputs.floorErrors(), inputs.floorForeground());
    }
}
