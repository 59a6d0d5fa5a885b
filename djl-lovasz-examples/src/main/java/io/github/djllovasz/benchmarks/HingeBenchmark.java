package io.github.djllovasz.benchmarks;

import io.github.djllovasz.LovaszHingeLoss;
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
 * The Lovász hinge at one shape and label kind: the library, the floor (argSort + cumSum of
 * {@code [B, H·W]}, or {@code [1, B·H·W]} pooled) and the loop baseline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class HingeBenchmark {

    /** Shape {@code Bx1xHxW}. */
    @Param("8x1x256x256")
    public String hingeShape;

    /** Label kind: {@code uniform} (0/1 noise) or {@code realistic} (0/1 cells, 5 % ignored). */
    @Param({"uniform", "realistic"})
    public String labels;

    /** Per image (the hinge's default) or pooled over the batch. */
    @Param({"true", "false"})
    public boolean perImage;

    private BenchInputs inputs;
    private LovaszHingeLoss loss;

    /**
     * Creates the inputs on the device.
     *
     * @param params the trial, to build the floor's matrices only where they are used
     */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        LabelKind kind = LabelKind.parse(labels);
        inputs = BenchInputs.hinge(BenchShape.parse(hingeShape), kind, 43);
        LovaszHingeLoss.Builder builder = LovaszHingeLoss.builder().optPerImage(perImage);
        if (kind.ignoreIndex() != null) {
            builder.optIgnoreIndex(kind.ignoreIndex());
        }
        loss = builder.build();
        if (params.getBenchmark().endsWith(".floor")) {
            inputs.prepareHingeFloor(perImage);
        }
    }

    /** Frees the inputs. */
    @TearDown(Level.Trial)
    public void tearDown() {
        inputs.close();
    }

    /**
     * The library: {@link LovaszHingeLoss} forward and backward.
     *
     * @return the loss value
     */
    @Benchmark
    public float ours() {
        return Steps.forwardBackward(
                inputs.manager(), () -> loss.evaluate(inputs.labels(), inputs.logits()));
    }

    /**
     * The floor, forward only.
     *
     * @return an element of the result
     */
    @Benchmark
    public float floor() {
        return Steps.floor(inputs.floorErrors(), inputs.floorForeground());
    }

    /**
     * The hand-written loop over images, forward and backward.
     *
     * @return the loss value
     */
    @Benchmark
    public float loop() {
        return Steps.forwardBackward(
                inputs.manager(),
                () -> LoopBaseline.hinge(inputs.logits(), inputs.labels(), inputs.ignoreIndex(), perImage));
    }
}
