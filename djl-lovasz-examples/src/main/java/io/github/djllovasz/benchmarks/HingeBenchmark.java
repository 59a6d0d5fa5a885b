package io.github.djllovasz.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
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
        return BenchInputs.hinge(BenchShape.parse(shape), kind, 43);
    }

    @Override
    protected Supplier<NDArray> ours() {
        LovaszHingeLoss loss = lovasz(kind, perImage);
        return () -> loss.evaluate(in.labels(), in.logits());
    }

    /**
     * The library loss that the benchmark measures.
     *
     * @param kind the label kind (its ignore index, if any, is set)
     * @param perImage per image or pooled
     * @return the loss
     */
    static LovaszHingeLoss lovasz(LabelKind kind, boolean perImage) {
        LovaszHingeLoss.Builder builder = LovaszHingeLoss.builder().optPerImage(perImage);
        if (kind.ignoreIndex() != null) {
            builder.optIgnoreIndex(kind.ignoreIndex());
        }
        return builder.build();
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
     * Mean binary cross-entropy of logits against 0/1 labels of the same shape, in the stable
     * form {@code mean(relu(x) − x·y + log(1 + exp(−|x|)))}. (DJL 0.29's
     * {@code SigmoidBinaryCrossEntropyLoss} calls {@code NDArrays.sub(1, x)}, whose {@code rsub}
     * the PyTorch engine does not implement.)
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
