package io.github.djllovasz.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
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
 * Binary cross-entropy from logits, forward and backward, at the hinge shape: the hinge rows'
 * scale. Ignored pixels count as background here.
 *
 * <p>DJL 0.29's {@code SigmoidBinaryCrossEntropyLoss} cannot run on the PyTorch engine (it calls
 * {@code NDArrays.sub(1, x)}, whose {@code rsub} the engine does not implement), so this is the
 * usual numerically stable form written with NDArray ops:
 * {@code mean(relu(x) − x·y + log(1 + exp(−|x|)))}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BinaryCrossEntropyBenchmark {

    /** Shape {@code Bx1xHxW}. */
    @Param("8x1x256x256")
    public String hingeShape;

    /** Label kind. */
    @Param({"uniform", "realistic"})
    public String labels;

    private BenchInputs inputs;

    /** Creates the inputs on the device. */
    @Setup(Level.Trial)
    public void setUp() {
        inputs = BenchInputs.hinge(BenchShape.parse(hingeShape), LabelKind.parse(labels), 43);
    }

    /** Frees the inputs. */
    @TearDown(Level.Trial)
    public void tearDown() {
        inputs.close();
    }

    /**
     * Binary cross-entropy forward and backward.
     *
     * @return the loss value
     */
    @Benchmark
    public float ce() {
        return Steps.forwardBackward(
                inputs.manager(), () -> binaryCrossEntropy(inputs.logits(), inputs.crossEntropyLabels()));
    }

    /**
     * Mean binary cross-entropy of logits against 0/1 labels of the same shape.
     *
     * @param logits the logits
     * @param labels float 0/1 labels
     * @return the scalar loss
     */
    public static NDArray binaryCrossEntropy(NDArray logits, NDArray labels) {
        NDArray softplusOfMinusAbs = logits.abs().neg().exp().add(1).log();
        return Activation.relu(logits).sub(logits.mul(labels)).add(softplusOfMinusAbs).mean();
    }
}
