package io.github.djllovasz.benchmarks;

import ai.djl.ndarray.NDList;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
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

/**
 * DJL's {@link SoftmaxCrossEntropyLoss} (sparse labels {@code [B, 1, H, W]}, class axis 1) forward
 * and backward at the softmax shapes, for scale. Ignored pixels count as class 0 here.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CrossEntropyBenchmark {

    /** Shape {@code BxCxHxW}. */
    @Param("4x21x128x128")
    public String shape;

    /** Label kind. */
    @Param({"uniform", "realistic"})
    public String labels;

    private BenchInputs inputs;
    private final SoftmaxCrossEntropyLoss loss = new SoftmaxCrossEntropyLoss("ce", 1, 1, true, true);

    /** Creates the inputs on the device. */
    @Setup(Level.Trial)
    public void setUp() {
        inputs = BenchInputs.softmax(BenchShape.parse(shape), LabelKind.parse(labels), 42);
    }

    /** Frees the inputs. */
    @TearDown(Level.Trial)
    public void tearDown() {
        inputs.close();
    }

    /**
     * Cross-entropy forward and backward.
     *
     * @return the loss value
     */
    @Benchmark
    public float ce() {
        return Steps.forwardBackward(
                inputs.manager(),
                () ->
                        loss.evaluate(
                                new NDList(inputs.crossEntropyLabels()), new NDList(inputs.logits())));
    }
}
