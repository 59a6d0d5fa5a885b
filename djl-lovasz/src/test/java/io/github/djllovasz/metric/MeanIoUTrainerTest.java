package io.github.djllovasz.metric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;
import io.github.djllovasz.LovaszSoftmaxLoss;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;

/** {@link MeanIoU} as an evaluator of a DJL {@link Trainer}. */
class MeanIoUTrainerTest {

    @Test
    void trainerAccumulatesTheBatchIntoTheEpochKey() throws Exception {
        MeanIoU miou = MeanIoU.builder().setNumClasses(3).build();
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("miou")) {
            // A 1×1 convolution initialised to the identity: the predictions are the inputs, whose
            // argmax is image A of MeanIoUTest (mIoU 107/210, counted by hand there).
            Conv2d net =
                    Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(3).optBias(false).build();
            net.setInitializer(
                    (m, shape, type) -> m.eye(3).reshape(3, 3, 1, 1).toType(type, false),
                    Parameter.Type.WEIGHT);
            model.setBlock(net);
            ArrayDataset data =
                    new ArrayDataset.Builder()
                            .setData(MeanIoUTest.logits(manager, 3, MeanIoUTest.PRED_A))
                            .optLabels(MeanIoUTest.labels(manager, MeanIoUTest.TRUTH_A))
                            .setSampling(1, false)
                            .build();
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(LovaszSoftmaxLoss.builder().build())
                            .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build())
                            .addEvaluator(miou)
                            .addTrainingListeners(new EvaluatorTrainingListener());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, 3, 3, 4));
                for (Batch batch : trainer.iterateDataset(data)) {
                    EasyTrain.trainBatch(trainer, batch);
                    trainer.step();
                    batch.close();
                }
                String key = EvaluatorTrainingListener.TRAIN_EPOCH;
                assertArrayEquals(MeanIoUTest.CM_A, miou.getConfusionMatrix(key));
                assertEquals(107.0 / 210, miou.getAccumulator(key), 1e-7);
            }
        }
    }
}
