package io.github.djllovasz.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import io.github.djllovasz.Kernel;
import io.github.djllovasz.LovaszHingeLoss;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Param;

/**
 * The Lovász hinge ({@link LovaszHingeLoss}) against its floor ({@code [1, B·H·W]} pooled,
 * {@code [B, H·W]} per image), the loop and binary cross-entropy from logits (ignored pixels as
 * background).
 */
public class HingeBenchmark extends LossBenchmark {

    /** Shape {@code Bx1xHxW}. */
    @Param("8x1x256x256")
    public String shape;

    @Override
    protected BenchInputs inputs() {
        return BenchInputs.of(BenchShape.parse(shape), kind, 43);
    }

    @Override
    protected Supplier<NDArray> ours(Kernel kernel) {
        LovaszHingeLoss loss = kind.ignoring(LovaszHingeLoss.builder().optPerImage(perImage).optKernel(kernel)).build();
        return () -> loss.evaluate(in.labels(), in.logits());
    }

    @Override
    protected Supplier<NDArray> loop() {
        return () -> LoopBaseline.hinge(in.logits(), in.labels(), kind.ignoreIndex(), perImage);
    }

    @Override
    protected Supplier<NDArray> ce() {
        return () -> binaryCrossEntropy(in.logits(), in.crossEntropyLabels());
    }

    @Override
    protected NDArray[] floorRows() {
        long rows = perImage ? BenchShape.parse(shape).batch() : 1;
        NDArray scores = in.logits().stopGradient().reshape(rows, -1);
        NDArray fg = in.labels().reshape(rows, -1).eq(1).toType(DataType.FLOAT32, false);
        return new NDArray[] {scores.mul(fg.mul(2).sub(1)).neg().add(1), fg};
    }

    /**
     * Mean binary cross-entropy of logits and 0/1 labels of their shape, {@code mean(relu(x) − x·y +
     * log(1 + exp(−|x|)))}: DJL 0.29's {@code SigmoidBinaryCrossEntropyLoss} calls {@code rsub}, which
     * DJL's PyTorch engine lacks; the library's checks its labels, which this column does not time.
     */
    public static NDArray binaryCrossEntropy(NDArray logits, NDArray labels) {
        NDArray softplusOfMinusAbs = logits.abs().neg().exp().add(1).log();
        return Activation.relu(logits).sub(logits.mul(labels)).add(softplusOfMinusAbs).mean();
    }
}
