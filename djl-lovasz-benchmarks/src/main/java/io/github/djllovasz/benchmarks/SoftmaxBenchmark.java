package io.github.djllovasz.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import io.github.djllovasz.Kernel;
import io.github.djllovasz.LovaszSoftmaxLoss;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Param;

/**
 * Lovász-Softmax ({@link LovaszSoftmaxLoss}, PRESENT) against its floor ({@code [C, B·H·W]}
 * pooled, {@code [B·C, H·W]} per image), the loop and DJL's {@link SoftmaxCrossEntropyLoss}
 * (sparse labels {@code [B, 1, H, W]}, ignored pixels as class 0).
 */
public class SoftmaxBenchmark extends LossBenchmark {

    /** Shape {@code BxCxHxW}, C ≥ 2. */
    @Param("4x21x128x128")
    public String shape;

    @Override
    protected BenchInputs inputs() {
        return BenchInputs.of(BenchShape.parse(shape), kind, 42);
    }

    @Override
    protected Supplier<NDArray> ours(Kernel kernel) {
        LovaszSoftmaxLoss loss = kind.ignoring(LovaszSoftmaxLoss.builder().optPerImage(perImage).optKernel(kernel)).build();
        return () -> loss.evaluate(in.labels(), in.logits());
    }

    @Override
    protected Supplier<NDArray> loop() {
        return () -> LoopBaseline.softmax(in.logits(), in.labels(), kind.ignoreIndex(), perImage);
    }

    @Override
    protected Supplier<NDArray> ce() {
        SoftmaxCrossEntropyLoss loss = new SoftmaxCrossEntropyLoss("ce", 1, 1, true, true);
        return () -> loss.evaluate(new NDList(in.crossEntropyLabels()), new NDList(in.logits()));
    }

    @Override
    protected NDArray[] floorRows() {
        BenchShape s = BenchShape.parse(shape);
        long b = s.batch();
        long c = s.classes();
        long hw = (long) s.height() * s.width();
        NDArray probas = in.logits().stopGradient().softmax(1);
        NDArray classIds = in.manager().arange(0, (int) c, 1, DataType.INT64);
        NDArray rows;
        NDArray foreground;
        if (perImage) {
            rows = probas.reshape(b * c, hw);
            foreground = in.labels().reshape(b, 1, hw).eq(classIds.reshape(1, c, 1)).reshape(b * c, hw);
        } else {
            rows = probas.transpose(1, 0, 2, 3).reshape(c, b * hw);
            foreground = in.labels().reshape(1, b * hw).eq(classIds.reshape(c, 1));
        }
        NDArray fg = foreground.toType(DataType.FLOAT32, false);
        return new NDArray[] {fg.sub(rows).abs(), fg};
    }
}
