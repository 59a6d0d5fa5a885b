package io.github.djllovasz.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.TrainingDivergedException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.EpochTrainingListener;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.djllovasz.host.OneDnnGuard;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The check stops DJL's loop at the first non-finite loss or gradient, before the update. */
class FiniteGradientCheckTest {

    /** sum(sqrt(|prediction|)): finite (0) at a zero prediction, with a NaN gradient there (0 · ∞). */
    private static final class SqrtLoss extends Loss {
        SqrtLoss() {
            super("SqrtLoss");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            return predictions.singletonOrThrow().abs().sqrt().sum();
        }
    }

    /** The weights before and after training, and why training stopped ({@code null}: it finished). */
    private static final class Outcome {
        final float[] before;
        final float[] after;
        final TrainingDivergedException stopped;

        Outcome(float[] before, float[] after, TrainingDivergedException stopped) {
            this.before = before;
            this.after = after;
            this.stopped = stopped;
        }
    }

    /** Trains 3 epochs of 2 batches of a 4 → 2 linear layer (zero bias) with DJL's loop. */
    private static Outcome train(Loss loss, NDArray data, NDArray labels) throws Exception {
        try (Model model = Model.newInstance("finite")) {
            model.setBlock(Linear.builder().setUnits(2).build());
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build())
                    .addTrainingListeners(new EpochTrainingListener(), new EvaluatorTrainingListener(),
                            new FiniteGradientCheck());
            ArrayDataset dataset = new ArrayDataset.Builder().setData(data).optLabels(labels)
                    .setSampling(2, false).build();
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(2, 4));
                float[] before = weights(model);
                TrainingDivergedException stopped = null;
                try {
                    EasyTrain.fit(trainer, 3, dataset, null);
                } catch (TrainingDivergedException e) {
                    stopped = e;
                }
                return new Outcome(before, weights(model), stopped);
            }
        }
    }

    private static float[] weights(Model model) {
        return model.getBlock().getParameters().get("weight").getArray().toFloatArray();
    }

    @Test
    void finiteTrainingRunsToTheEnd() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(3);
            NDArray data = manager.randomNormal(new Shape(4, 4));
            NDArray labels = manager.randomNormal(new Shape(4, 2));
            Outcome outcome = train(Loss.l2Loss(), data, labels);
            assertEquals(null, outcome.stopped);
            assertTrue(!Arrays.equals(outcome.before, outcome.after), "the weights were updated");
        }
    }

    @Test
    void aNonFiniteGradientStopsTheFirstBatchBeforeTheUpdate() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            // zero inputs and zero bias: every prediction is exactly 0, the loss 0, its gradient NaN
            NDArray data = manager.zeros(new Shape(4, 4));
            NDArray labels = manager.zeros(new Shape(4, 2));
            Outcome outcome = train(new SqrtLoss(), data, labels);
            TrainingDivergedException e = outcome.stopped;
            assertTrue(e != null && e.getMessage().startsWith("Training stopped at epoch 1, batch 1: the gradient of parameter "),
                    e.getMessage());
            assertTrue(e.getMessage().contains(" is not finite (NaN or infinite). " + OneDnnGuard.advice()),
                    e.getMessage());
            assertArrayEquals(outcome.before, outcome.after, 0f, "no update was applied");
        }
    }

    @Test
    void aNonFiniteLossStopsAtItsBatch() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(3);
            NDArray data = manager.randomNormal(new Shape(4, 4));
            // the second batch's labels hold a NaN: the loss turns NaN there
            NDArray labels = manager.create(new float[] {0, 1, 2, 3, 4, Float.NaN, 6, 7}, new Shape(4, 2));
            TrainingDivergedException e = train(Loss.l2Loss(), data, labels).stopped;
            assertEquals("Training stopped at epoch 1, batch 2: the training loss is NaN. " + OneDnnGuard.advice(),
                    e.getMessage());
        }
    }
}
