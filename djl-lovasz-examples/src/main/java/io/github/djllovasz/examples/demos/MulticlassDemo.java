package io.github.djllovasz.examples.demos;

import io.github.djllovasz.ClassSelection;
import io.github.djllovasz.LovaszSoftmaxLoss;
import io.github.djllovasz.SegmentationCrossEntropyLoss;
import io.github.djllovasz.metric.MeanIoU;
import io.github.djllovasz.host.OneDnnGuard;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.loss.Loss;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Reproduces the original's multiclass demo ({@code demo_multiclass.ipynb}) in DJL.
 *
 * <p>Five 200 × 200 label images with 3 classes: background 0, then random filled triangles of
 * void (255), class 1 and class 2, drawn in that order. Features: one-hot(label) + N(0, 2) noise,
 * where void pixels take a random class for their features. The model is {@code x + Conv2d(3 → 3,
 * 3 × 3, padding 1)}, every run starting from one shared initial state (PyTorch's default uniform
 * initialisation, seeded). Adam, learning rate 0.005, 1000 full-batch steps. Runs: Lovász-Softmax
 * (present classes, not per image, ignore 255) and cross-entropy (ignore 255). The metric is the
 * dataset IoU of each class (counted over all images) and their mean, in percent.
 *
 * <p>The original reports mIoU 19.81 % at the start, 54.77 % after Lovász-Softmax and 52.85 % after
 * cross-entropy.
 */
public final class MulticlassDemo {

    /** The ignored label. */
    public static final int VOID = 255;

    private static final int CLASSES = 3;
    private static final int IMAGES = 5;
    private static final int SIZE = 200;

    private MulticlassDemo() {}

    /**
     * Runs the demo.
     *
     * @param args {@code [--steps N]} (default 1000)
     */
    public static void main(String[] args) {
        if (OneDnnGuard.relaunched(MulticlassDemo.class, args)) {
            return;
        }
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(
                    "MulticlassDemo [--steps N]: the original's multiclass demo (default 1000 steps)");
            return;
        }
        int steps = args.length >= 2 && args[0].equals("--steps") ? Integer.parseInt(args[1]) : 1000;
        run(steps, System.out);
    }

    /**
     * Runs the demo.
     *
     * @param steps Adam steps per run
     * @param out where to print
     * @return the figures
     */
    public static Result run(int steps, PrintStream out) {
        int[] labels = Triangles.draw(IMAGES, SIZE, new Random(18), 0, VOID, 1, 2);
        float[] features = features(labels, new Random(57));
        Random init = new Random(7);
        double bound = 1 / Math.sqrt(CLASSES * 3 * 3);
        FixedInitializer weight = FixedInitializer.uniform(CLASSES * CLASSES * 9, bound, init);
        FixedInitializer bias = FixedInitializer.uniform(CLASSES, bound, init);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(features, new Shape(IMAGES, CLASSES, SIZE, SIZE));
            NDArray y = manager.create(labels, new Shape(IMAGES, SIZE, SIZE));
            out.printf(Locale.ROOT, "multiclass demo: %d images %dx%d, %d classes + void (%.1f %%"
                    + " of pixels)%n", IMAGES, SIZE, SIZE, CLASSES, 100 * voidFraction(labels));
            Run start = train("start", SegmentationCrossEntropyLoss.builder().optIgnoreIndex(VOID).build(), x, y, 0, weight, bias,
                    19.81, out);
            List<Run> runs = new ArrayList<>();
            runs.add(train("Lovász-Softmax", LovaszSoftmaxLoss.builder()
                    .optClasses(ClassSelection.PRESENT).optPerImage(false).optIgnoreIndex(VOID).build(),
                    x, y, steps, weight, bias, 54.77, out));
            runs.add(train("cross-entropy", SegmentationCrossEntropyLoss.builder().optIgnoreIndex(VOID).build(),
                    x, y, steps, weight, bias, 52.85, out));
            out.println();
            out.println("| run | IoU class 0 | IoU class 1 | IoU class 2 | mIoU (%) |"
                    + " original mIoU (%) | time |");
            out.println("|---|---:|---:|---:|---:|---:|---:|");
            print(out, start);
            runs.forEach(r -> print(out, r));
            double gain = runs.get(0).meanIou() - runs.get(1).meanIou();
            out.printf(Locale.ROOT, "%nLovász-Softmax ≥ cross-entropy on mIoU: %s (%+.2f points;"
                    + " the original: +1.92)%n",
                    Double.isNaN(gain) ? "not measured (a run stopped)" : gain >= 0 ? "yes" : "NO", gain);
            return new Result(start, runs);
        }
    }

    private static Run train(
            String name, Loss loss, NDArray x, NDArray y, int steps,
            FixedInitializer weight, FixedInitializer bias, double original, PrintStream out) {
        MeanIoU miou = MeanIoU.builder().setNumClasses(CLASSES).optIgnoreIndex(VOID).build();
        DemoTraining.Outcome outcome = DemoTraining.train(
                name, model(), loss, miou, x, y, 0.005f, steps,
                config -> config.optInitializer(weight, Parameter.Type.WEIGHT)
                        .optInitializer(bias, Parameter.Type.BIAS), out);
        if (outcome.isStopped()) {
            return new Run(name, new double[] {Double.NaN, Double.NaN, Double.NaN}, original, Double.NaN);
        }
        outcome.output().close();
        double[] ious = miou.getClassIoU(EvaluatorTrainingListener.VALIDATE_EPOCH);
        for (int c = 0; c < ious.length; c++) {
            ious[c] = 100 * ious[c];
        }
        return new Run(name, ious, original, outcome.seconds());
    }

    private static void print(PrintStream out, Run r) {
        if (Double.isNaN(r.seconds())) {
            out.printf(Locale.ROOT, "| %s | stopped: non-finite loss or gradient (above) | | | | %.2f | |%n",
                    r.name(), r.original());
            return;
        }
        double[] v = r.ious();
        out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f s |%n",
                r.name(), v[0], v[1], v[2], r.meanIou(), r.original(), r.seconds());
    }

    /**
     * The residual model {@code x + conv(x)}.
     *
     * @return a new block
     */
    static Block model() {
        Block conv = Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1))
                .setFilters(CLASSES)
                .build();
        return new ParallelBlock(
                branches -> new NDList(NDArrays.add(
                        branches.get(0).singletonOrThrow(), branches.get(1).singletonOrThrow())),
                List.of(LambdaBlock.singleton(a -> a, "identity"), conv));
    }

    private static float[] features(int[] labels, Random random) {
        int pixels = SIZE * SIZE;
        float[] f = new float[IMAGES * CLASSES * pixels];
        for (int n = 0; n < IMAGES; n++) {
            for (int p = 0; p < pixels; p++) {
                int label = labels[n * pixels + p];
                int hot = label == VOID ? random.nextInt(CLASSES) : label;
                f[(n * CLASSES + hot) * pixels + p] = 1f;
            }
        }
        for (int i = 0; i < f.length; i++) {
            f[i] += (float) (2 * random.nextGaussian());
        }
        return f;
    }

    private static double voidFraction(int[] labels) {
        long n = 0;
        for (int label : labels) {
            n += label == VOID ? 1 : 0;
        }
        return (double) n / labels.length;
    }

    /**
     * One run.
     *
     * @param name the loss, or "start"
     * @param ious the IoU of each class, in percent
     * @param original the original's mIoU in percent
     * @param seconds wall time of the training steps
     */
    public record Run(String name, double[] ious, double original, double seconds) {

        /** @return the mean IoU over the classes, in percent */
        public double meanIou() {
            return java.util.Arrays.stream(ious).average().orElse(Double.NaN);
        }
    }

    /**
     * The demo's figures.
     *
     * @param start the untrained shared initial state
     * @param runs Lovász-Softmax, cross-entropy
     */
    public record Result(Run start, List<Run> runs) {}
}
