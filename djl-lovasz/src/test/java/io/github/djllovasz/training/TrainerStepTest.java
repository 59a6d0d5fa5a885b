package io.github.djllovasz.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;
import io.github.djllovasz.CountingSoftmaxLoss;
import io.github.djllovasz.LovaszSoftmaxLoss;
import io.github.djllovasz.SegmentationLosses;
import io.github.djllovasz.SegmentationCrossEntropyLoss;
import io.github.djllovasz.WeightedLoss;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SimpleCompositeLoss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The losses inside DJL's own training loop ({@code EasyTrain.trainBatch} with DJL's default
 * listeners, which add the training loss to the evaluators): one evaluation per step, and the
 * logged training loss is the mean of the values the gradient was computed from.
 */
class TrainerStepTest {

    private static final int STEPS = 3;
    private static final int BATCH = 4;

    /** Trains STEPS batches of a 1×1 convolution with the loss; returns the loss's epoch value. */
    private static double train(Loss loss) throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("steps")) {
            // DJL's Trainer refuses a first step whose gradients sum to exactly 0. Under a softmax
            // the gradients of a plain convolution's outputs sum to 0 over the classes, so its
            // parameters' gradients sum to 0 up to rounding; a fixed scale per class breaks that.
            model.setBlock(
                    new SequentialBlock()
                            .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(3).build())
                            .add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().mul(
                                    x.getManager().arange(1f, 4f).reshape(1, 3, 1, 1))))));
            manager.getEngine().setRandomSeed(11);
            NDArray data = manager.randomNormal(new Shape(STEPS * BATCH, 3, 5, 5));
            NDArray labels = manager.randomInteger(0, 3, new Shape(STEPS * BATCH, 5, 5), DataType.INT64);
            ArrayDataset dataset =
                    new ArrayDataset.Builder().setData(data).optLabels(labels).setSampling(BATCH, false).build();
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(loss)
                            .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build())
                            .addTrainingListeners(TrainingListener.Defaults.basic());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(BATCH, 3, 5, 5));
                for (Batch batch : trainer.iterateDataset(dataset)) {
                    EasyTrain.trainBatch(trainer, batch);
                    trainer.step();
                    batch.close();
                }
                return loss.getAccumulator(EvaluatorTrainingListener.TRAIN_EPOCH);
            }
        }
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    @Test
    void lovaszIsEvaluatedOncePerStepAndLogsTheSteppedValues() throws Exception {
        CountingSoftmaxLoss lovasz = CountingSoftmaxLoss.of(LovaszSoftmaxLoss.builder());
        double logged = train(lovasz);
        assertEquals(STEPS, lovasz.computations(), "one evaluation per step (DJL's Loss makes two)");
        assertEquals(mean(lovasz.values()), logged, 1e-6);
    }

    @Test
    void djlsOwnLossIsEvaluatedTwicePerStep() throws Exception {
        // What this library avoids: DJL's Loss.updateAccumulators evaluates again after the step.
        List<Double> calls = new CopyOnWriteArrayList<>();
        LovaszSoftmaxLoss lovasz = LovaszSoftmaxLoss.builder().build();
        Loss plain =
                new Loss("plain") {
                    @Override
                    public NDArray evaluate(NDList labels, NDList predictions) {
                        calls.add(1.0);
                        return lovasz.evaluate(labels.head(), predictions.head());
                    }
                };
        train(plain);
        assertEquals(2 * STEPS, calls.size());
    }

    @Test
    void compositeIsEvaluatedOncePerStepPerTerm() throws Exception {
        CountingSoftmaxLoss lovasz = CountingSoftmaxLoss.of(LovaszSoftmaxLoss.builder());
        SimpleCompositeLoss composite = SegmentationLosses.crossEntropyPlusLovasz(lovasz, 0.5);
        train(composite);
        assertEquals(STEPS, lovasz.computations(), "the Lovász term once per step");

        // The same recipe with a counting cross-entropy: the logged value is the mean of the
        // stepped CE + 0.5·Lovász.
        CountingSoftmaxLoss lovasz2 = CountingSoftmaxLoss.of(LovaszSoftmaxLoss.builder());
        CountingCrossEntropy ce = new CountingCrossEntropy();
        SimpleCompositeLoss byHand =
                new SimpleCompositeLoss("sum").addLoss(ce).addLoss(WeightedLoss.builder().setLoss(lovasz2).setWeight(0.5).build());
        double logged = train(byHand);
        assertEquals(STEPS, ce.computations.size());
        assertEquals(STEPS, lovasz2.computations());
        assertEquals(mean(ce.computations) + 0.5 * mean(lovasz2.values()), logged, 1e-6);
    }

    @Test
    void epochSwitchIsEvaluatedOncePerStep() throws Exception {
        CountingSoftmaxLoss lovasz = CountingSoftmaxLoss.of(LovaszSoftmaxLoss.builder());
        double logged = train(SegmentationLosses.crossEntropyThenLovasz(lovasz, 0));
        assertEquals(STEPS, lovasz.computations());
        assertEquals(mean(lovasz.values()), logged, 1e-6);
    }

    @Test
    void otherArraysAreComputedAfresh() {
        CountingSoftmaxLoss lovasz = CountingSoftmaxLoss.of(LovaszSoftmaxLoss.builder());
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList labels = new NDList(manager.randomInteger(0, 3, new Shape(2, 4, 4), DataType.INT64));
            NDList predictions = new NDList(manager.randomNormal(new Shape(2, 3, 4, 4)));
            lovasz.addAccumulator("k");
            NDArray stepped = lovasz.evaluate(labels, predictions);
            // An equal but distinct array is another batch: computed again.
            NDList copy = new NDList(predictions.head().duplicate());
            lovasz.updateAccumulators(new String[] {"k"}, labels, copy);
            assertEquals(2, lovasz.computations());
            // The very arrays: reused.
            lovasz.updateAccumulators(new String[] {"k"}, labels, predictions);
            assertEquals(2, lovasz.computations());
            // Once DJL closed the stepped value, computed again.
            stepped.close();
            lovasz.updateAccumulators(new String[] {"k"}, labels, predictions);
            assertEquals(3, lovasz.computations());
            assertEquals(lovasz.values().get(0), lovasz.getAccumulator("k"), 1e-6);
        }
    }

    /** A cross-entropy that records the value of every computation. */
    private static final class CountingCrossEntropy extends SegmentationCrossEntropyLoss {
        final List<Double> computations = new CopyOnWriteArrayList<>();

        CountingCrossEntropy() {
            super(SegmentationCrossEntropyLoss.builder());
        }

        @Override
        protected NDArray computeLoss(NDList labels, NDList predictions) {
            NDArray value = super.computeLoss(labels, predictions);
            computations.add((double) value.getFloat());
            return value;
        }
    }
}
