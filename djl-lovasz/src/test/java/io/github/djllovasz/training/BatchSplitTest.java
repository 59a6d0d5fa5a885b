package io.github.djllovasz.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.github.djllovasz.CountingSoftmaxLoss;
import io.github.djllovasz.LovaszHingeLoss;
import io.github.djllovasz.LovaszSoftmaxLoss;
import io.github.djllovasz.SegmentationLosses;
import io.github.djllovasz.testutil.Grad;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.translate.Batchifier;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The losses on DJL's real multi-device path, with k = 4 shards on one device (DJL's {@code
 * DefaultTrainingConfig} refuses duplicate devices, so the steps of {@code EasyTrain.trainBatch}
 * are taken here one by one): {@code Batch.split(devices, false)} cuts ceil(B/k) images per
 * shard, each shard evaluates the loss on its own copy of the parameters and back-propagates, the
 * parameter server sums the gradients, and {@code updateAccumulators} runs per shard.
 *
 * <p>Checked against the same computation by hand: the chunks [0, 3), [3, 6), [6, 9), [9, 9)
 * (B = 9) sliced from the whole batch, each chunk's loss and gradient computed alone, gradients
 * summed, the logged loss the mean over the k shards (an empty shard adds 0).
 */
class BatchSplitTest {

    private static final int SHARDS = 4;
    private static final int CLASSES = 3;
    private static final long IGNORE = 255;
    private static final String[] KEYS = {EvaluatorTrainingListener.TRAIN_EPOCH};

    @ParameterizedTest(name = "B = {0}: shards {1}")
    @CsvSource({"8, 2 2 2 2", "9, 3 3 3 0", "10, 3 3 3 1"})
    void softmaxPooled(int batch, String sizes) {
        check(batch, sizes, () -> LovaszSoftmaxLoss.builder().optIgnoreIndex((int) IGNORE).build(), true);
    }

    @ParameterizedTest(name = "B = {0}: shards {1}")
    @CsvSource({"8, 2 2 2 2", "9, 3 3 3 0", "10, 3 3 3 1"})
    void softmaxPerImage(int batch, String sizes) {
        check(batch, sizes,
                () -> LovaszSoftmaxLoss.builder().optPerImage(true).optIgnoreIndex((int) IGNORE).build(), true);
    }

    @ParameterizedTest(name = "B = {0}: shards {1}")
    @CsvSource({"8, 2 2 2 2", "9, 3 3 3 0", "10, 3 3 3 1"})
    void crossEntropyPlusLovasz(int batch, String sizes) {
        check(batch, sizes,
                () -> SegmentationLosses.crossEntropyPlusLovasz(
                        LovaszSoftmaxLoss.builder().optIgnoreIndex((int) IGNORE).build(), 0.5),
                true);
    }

    @ParameterizedTest(name = "B = {0}: shards {1}")
    @CsvSource({"8, 2 2 2 2", "9, 3 3 3 0", "10, 3 3 3 1"})
    void hinge(int batch, String sizes) {
        check(batch, sizes, () -> LovaszHingeLoss.builder().optIgnoreIndex((int) IGNORE).build(), false);
    }

    @ParameterizedTest(name = "B = {0}")
    @CsvSource({"8", "9", "10"})
    void oneEvaluationPerShard(int batch) {
        CountingSoftmaxLoss loss = CountingSoftmaxLoss.of(LovaszSoftmaxLoss.builder().optIgnoreIndex((int) IGNORE));
        try (NDManager manager = NDManager.newBaseManager()) {
            Step step = Step.run(manager, inputs(manager, batch, true), loss);
            assertEquals(SHARDS, step.values.length);
            assertEquals(SHARDS, loss.computations(), "evaluate per shard, updateAccumulators reuses");
        }
    }

    private static void check(int batch, String sizes, Supplier<Loss> newLoss, boolean multiclass) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray[] xy = inputs(manager, batch, multiclass);
            Loss loss = newLoss.get();
            Step step = Step.run(manager, xy, loss);

            // DJL's chunks: ceil(B/k) images each, the last ones shorter or empty.
            long[] expectedSizes = java.util.Arrays.stream(sizes.split(" ")).mapToLong(Long::parseLong).toArray();
            assertArrayEquals(expectedSizes, step.sizes);

            // By hand: each chunk of the whole batch alone, gradients summed over the chunks.
            Loss reference = newLoss.get();
            long chunk = (batch + SHARDS - 1) / SHARDS;
            double[] gradient = new double[step.gradient.length];
            double sum = 0;
            for (int s = 0; s < SHARDS; s++) {
                long from = Math.min(batch, s * chunk);
                long to = Math.min(batch, from + chunk);
                NDArray x = slice(manager, xy[0], from, to);
                NDArray y = slice(manager, xy[1], from, to);
                Grad g = Grad.of(scale(manager, multiclass), w -> reference.evaluate(
                        new NDList(y), new NDList(x.mul(w))));
                assertEquals(g.loss, step.values[s], 1e-12, "shard " + s);
                if (to == from) {
                    assertEquals(0.0, g.loss, "an empty shard adds 0");
                }
                for (int i = 0; i < gradient.length; i++) {
                    gradient[i] += g.gradient[i];
                }
                sum += g.loss;
            }
            assertArrayEquals(gradient, step.gradient, 1e-12);
            assertEquals(sum / SHARDS, loss.getAccumulator(KEYS[0]), 1e-6, "logged loss: mean over shards");
        }
    }

    /** Images {@code [from, to)} of a batch (an empty range built as such: MXNet's slice of one is not). */
    private static NDArray slice(NDManager manager, NDArray batch, long from, long to) {
        if (to > from) {
            return batch.get(new NDIndex("{}:{}", from, to));
        }
        long[] dims = batch.getShape().getShape().clone();
        dims[0] = 0;
        return manager.zeros(new Shape(dims), batch.getDataType());
    }

    /** Inputs x [B, C, 4, 4] (or [B, 1, 4, 4] for the hinge) and labels with ignored pixels. */
    private static NDArray[] inputs(NDManager manager, int batch, boolean multiclass) {
        Engine.getInstance().setRandomSeed(batch);
        long channels = multiclass ? CLASSES : 1;
        NDArray x = manager.randomNormal(new Shape(batch, channels, 4, 4)).toType(DataType.FLOAT64, false);
        NDArray y = manager.randomInteger(0, multiclass ? CLASSES : 2, new Shape(batch, 4, 4), DataType.INT64);
        NDArray ignored = manager.randomUniform(0, 1, new Shape(batch, 4, 4)).lt(0.1);
        y = NDArrays.where(ignored, manager.full(y.getShape(), IGNORE, DataType.INT64), y);
        return new NDArray[] {x, y};
    }

    /** The "parameters": one scale per channel, the same initial value on every device. */
    private static NDArray scale(NDManager manager, boolean multiclass) {
        long channels = multiclass ? CLASSES : 1;
        return manager.arange(1, channels + 1, 1, DataType.FLOAT64).div(2).reshape(1, channels, 1, 1);
    }

    /** One step of {@code EasyTrain.trainBatch} with k shards on the CPU, taken by hand. */
    private static final class Step {
        long[] sizes;
        double[] values;
        double[] gradient;

        static Step run(NDManager manager, NDArray[] xy, Loss loss) {
            loss.addAccumulator(KEYS[0]);
            Step step = new Step();
            boolean multiclass = xy[0].getShape().get(1) > 1;
            Device[] devices = new Device[SHARDS];
            java.util.Arrays.fill(devices, manager.getDevice());
            int batch = Math.toIntExact(xy[0].getShape().get(0));
            try (Batch whole = new Batch(manager.newSubManager(), new NDList(xy[0].duplicate()),
                    new NDList(xy[1].duplicate()), batch, Batchifier.STACK, Batchifier.STACK, 0, 0)) {
                Batch[] shards = whole.split(devices, false);
                step.sizes = new long[shards.length];
                step.values = new double[shards.length];
                NDArray[] weights = new NDArray[shards.length];
                NDList[] predictions = new NDList[shards.length];
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    for (int s = 0; s < shards.length; s++) {
                        step.sizes[s] = shards[s].getData().head().getShape().get(0);
                        weights[s] = scale(shards[s].getManager(), multiclass); // this device's copy
                        weights[s].setRequiresGradient(true);
                        predictions[s] = new NDList(shards[s].getData().head().mul(weights[s]));
                        NDArray value = loss.evaluate(shards[s].getLabels(), predictions[s]);
                        step.values[s] = Grad.toDoubles(value)[0];
                        collector.backward(value);
                    }
                }
                for (int s = 0; s < shards.length; s++) {
                    loss.updateAccumulators(KEYS, shards[s].getLabels(), predictions[s]);
                }
                // The parameter server sums the devices' gradients.
                step.gradient = new double[Math.toIntExact(weights[0].size())];
                for (NDArray w : weights) {
                    double[] g = Grad.toDoubles(w.getGradient());
                    for (int i = 0; i < g.length; i++) {
                        step.gradient[i] += g[i];
                    }
                }
                for (Batch shard : shards) {
                    shard.close();
                }
            }
            return step;
        }
    }
}
