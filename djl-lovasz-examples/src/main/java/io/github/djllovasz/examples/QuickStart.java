package io.github.djllovasz.examples;

import ai.djl.Model;
import io.github.djllovasz.LovaszSoftmaxLoss;
import io.github.djllovasz.metric.MeanIoU;
import io.github.djllovasz.host.OneDnnGuard;
import io.github.djllovasz.training.FiniteGradientCheck;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.util.Random;

/**
 * The smallest end-to-end use of the library: a two-layer fully-convolutional network trained
 * with {@link LovaszSoftmaxLoss} in a {@link DefaultTrainingConfig} on synthetic noisy scenes
 * (background, a rectangle of class 1, a disk of class 2), reporting test mIoU ({@link MeanIoU}, the
 * held-out scenes as DJL's validation set) before and after.
 */
public final class QuickStart {

    private static final int CLASSES = 3;
    private static final int SIZE = 32;

    private QuickStart() {}

    /**
     * Runs the demo.
     *
     * @param args {@code [epochs]} (default 8)
     * @throws IOException if the dataset fails
     * @throws TranslateException if a batch fails
     */
    public static void main(String[] args) throws IOException, TranslateException {
        if (OneDnnGuard.relaunched(QuickStart.class, args)) {
            return; // ran in a child JVM with ONEDNN_MAX_CPU_ISA=AVX2 (AMD CPUs with AVX-512)
        }
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        Random random = new Random(7);
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("quickstart")) {
            NDArray[] train = scenes(manager, 96, random);
            NDArray[] test = scenes(manager, 32, random);
            ArrayDataset data =
                    new ArrayDataset.Builder()
                            .setData(train[0])
                            .optLabels(train[1])
                            .setSampling(16, true)
                            .build();
            ArrayDataset testSet =
                    new ArrayDataset.Builder().setData(test[0]).optLabels(test[1]).setSampling(32, false).build();

            SequentialBlock net = new SequentialBlock();
            net.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(16).build())
                    .add(Activation::relu)
                    .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(CLASSES).build());
            model.setBlock(net);

            // The README's "Use it": the Lovász loss, and the library's mIoU as DJL's evaluator.
            LovaszSoftmaxLoss loss = LovaszSoftmaxLoss.builder().build();
            MeanIoU miou = MeanIoU.builder().setNumClasses(CLASSES).build();
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(loss)
                            .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build())
                            .addEvaluator(miou)
                            .addTrainingListeners(TrainingListener.Defaults.logging())
                            .addTrainingListeners(new FiniteGradientCheck()); // stops on NaN, names the cause
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(16, CLASSES, SIZE, SIZE));
                System.out.printf("loss: %s%n", loss);
                System.out.printf("test mIoU before training: %.4f%n", testMeanIou(trainer, testSet, miou));
                EasyTrain.fit(trainer, epochs, data, testSet);
                System.out.printf("test mIoU after %d epochs: %.4f%n", epochs, testMeanIou(trainer, testSet, miou));
            }
        }
    }

    /**
     * The test set's mIoU: one validation pass of DJL's loop, read from the evaluator (DJL resets
     * the validation accumulator after every epoch, so the pass is made here).
     */
    static float testMeanIou(Trainer trainer, ArrayDataset testSet, MeanIoU miou)
            throws IOException, TranslateException {
        miou.resetAccumulator(EvaluatorTrainingListener.VALIDATE_EPOCH);
        EasyTrain.evaluateDataset(trainer, testSet);
        return miou.getAccumulator(EvaluatorTrainingListener.VALIDATE_EPOCH);
    }

    /** Noisy one-hot features of random scenes, and their labels [N, H, W]. */
    static NDArray[] scenes(NDManager manager, int count, Random random) {
        float[] features = new float[count * CLASSES * SIZE * SIZE];
        float[] labels = new float[count * SIZE * SIZE];
        for (int n = 0; n < count; n++) {
            int rx = random.nextInt(SIZE / 2);
            int ry = random.nextInt(SIZE / 2);
            int rw = 6 + random.nextInt(SIZE / 2);
            int rh = 6 + random.nextInt(SIZE / 2);
            int cx = random.nextInt(SIZE);
            int cy = random.nextInt(SIZE);
            int r = 4 + random.nextInt(SIZE / 4);
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    int label = 0;
                    if (x >= rx && x < rx + rw && y >= ry && y < ry + rh) {
                        label = 1;
                    }
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
                        label = 2;
                    }
                    labels[(n * SIZE + y) * SIZE + x] = label;
                    for (int c = 0; c < CLASSES; c++) {
                        float signal = c == label ? 1f : 0f;
                        features[((n * CLASSES + c) * SIZE + y) * SIZE + x] =
                                signal + (float) random.nextGaussian() * 1.2f;
                    }
                }
            }
        }
        return new NDArray[] {
            manager.create(features, new Shape(count, CLASSES, SIZE, SIZE)),
            manager.create(labels, new Shape(count, SIZE, SIZE))
        };
    }
}
