package io.github.djllovasz.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.djllovasz.ClassSelection;
import io.github.djllovasz.Kernel;
import io.github.djllovasz.LovaszHingeLoss;
import io.github.djllovasz.LovaszMultilabelLoss;
import io.github.djllovasz.LovaszSoftmaxLoss;
import io.github.djllovasz.testutil.Grad;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both kernels ({@link Kernel#ENGINE}, {@link Kernel#HOST}) on heavily tied inputs: 0/1 and
 * one-half probabilities, logits from a few values, saturated softmax. Tied pixels may be ordered
 * differently (PyTorch's tie order is unspecified, the radix sort keeps pixel order), so the test
 * compares what does not depend on that order: the loss, and the gradient with respect to the
 * errors summed over each tie group of a row ({@code Σ_i ∂L/∂v_i · (1 − 2g_i)}, since {@code ∂e_i
 * / ∂v_i = 1 − 2g_i}: the weights of a tie group's positions, whatever the order).
 */
class KernelAgreementTest {

    private static final int B = 3;
    private static final int C = 4;
    private static final int H = 9;
    private static final int W = 13;
    private static final int IGNORE = 255;

    static Stream<Arguments> settings() {
        Stream.Builder<Arguments> settings = Stream.builder();
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            for (boolean perImage : new boolean[] {false, true}) {
                for (boolean ignore : new boolean[] {false, true}) {
                    settings.add(Arguments.of("softmax PRESENT", type, perImage, ignore));
                    settings.add(Arguments.of("softmax ALL", type, perImage, ignore));
                    settings.add(Arguments.of("softmax classes 0, 2, 2 weighted", type, perImage, ignore));
                    settings.add(Arguments.of("sigmoid", type, perImage, ignore));
                    settings.add(Arguments.of("hinge", type, perImage, ignore));
                }
            }
        }
        return settings.build();
    }

    @ParameterizedTest(name = "{0} {1} perImage={2} ignore={3}")
    @MethodSource("settings")
    void bothKernelsAgreeOnTiedInputs(String setting, DataType type, boolean perImage, boolean ignore) {
        Random random = new Random(setting.hashCode() * 31L + type.ordinal() * 7 + (perImage ? 2 : 0) + (ignore ? 1 : 0));
        boolean hinge = setting.equals("hinge");
        int classes = hinge || setting.equals("sigmoid") ? 1 : C;
        long[] labels = new long[B * H * W];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = ignore && random.nextInt(6) == 0 ? IGNORE : random.nextInt(classes == 1 ? 2 : classes);
        }
        double[] x = hinge ? tiedLogits(random) : tiedProbabilities(random, classes);
        Shape shape = hinge ? new Shape(B, H, W) : new Shape(B, classes, H, W);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray input = manager.create(x, shape).toType(type, false);
            NDArray target = manager.create(labels, new Shape(B, H, W));
            Grad engine = Grad.of(input, v -> loss(setting, perImage, ignore, Kernel.ENGINE).apply(new NDList(target, v)));
            Grad host = Grad.of(input, v -> loss(setting, perImage, ignore, Kernel.HOST).apply(new NDList(target, v)));
            double tolerance = type == DataType.FLOAT64 ? 1e-12 : 1e-5;
            assertEquals(engine.loss, host.loss, tolerance * Math.max(1, Math.abs(engine.loss)), "loss");
            double[] values = Grad.toDoubles(input);
            Map<String, Double> engineGroups = tieGroups(engine.gradient, values, labels, classes, hinge, perImage);
            Map<String, Double> hostGroups = tieGroups(host.gradient, values, labels, classes, hinge, perImage);
            assertEquals(engineGroups.keySet(), hostGroups.keySet());
            for (Map.Entry<String, Double> group : engineGroups.entrySet()) {
                assertEquals(group.getValue(), hostGroups.get(group.getKey()), tolerance, "tie group " + group.getKey());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("saturatedSettings")
    void bothKernelsGiveTheSameLossOnSaturatedSoftmax(String setting) {
        Random random = new Random(setting.hashCode());
        long[] labels = new long[B * H * W];
        double[] logits = new double[B * C * H * W];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(C);
        }
        for (int i = 0; i < logits.length; i++) {
            logits[i] = random.nextBoolean() ? 60 : -60; // softmax probabilities exactly 0, 1/2, 1/3 ... 1
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray input = manager.create(logits, new Shape(B, C, H, W)).toType(DataType.FLOAT32, false);
            NDArray target = manager.create(labels, new Shape(B, H, W));
            Function<Kernel, Double> value = kernel -> Grad.value(input, v -> {
                if (setting.equals("multilabel")) {
                    NDArray multi = target.oneHot(C).transpose(0, 3, 1, 2);
                    return LovaszMultilabelLoss.builder().optKernel(kernel).build()
                            .evaluate(new NDList(multi), new NDList(v));
                }
                return LovaszSoftmaxLoss.builder().optPerImage(setting.equals("per image")).optKernel(kernel).build()
                        .evaluate(new NDList(target), new NDList(v));
            });
            double engine = value.apply(Kernel.ENGINE);
            assertEquals(engine, value.apply(Kernel.HOST), 1e-6 * Math.max(1, Math.abs(engine)), "float32 loss");
        }
    }

    static Stream<String> saturatedSettings() {
        return Stream.of("pooled", "per image", "multilabel");
    }

    private static Function<NDList, NDArray> loss(String setting, boolean perImage, boolean ignore, Kernel kernel) {
        if (setting.equals("hinge")) {
            LovaszHingeLoss.Builder builder = LovaszHingeLoss.builder().optPerImage(perImage).optKernel(kernel);
            LovaszHingeLoss loss = (ignore ? builder.optIgnoreIndex(IGNORE) : builder).build();
            return in -> loss.evaluate(new NDList(in.get(0)), new NDList(in.get(1)));
        }
        LovaszSoftmaxLoss.Builder builder =
                LovaszSoftmaxLoss.builder().optFromLogits(false).optPerImage(perImage).optKernel(kernel);
        if (ignore) {
            builder.optIgnoreIndex(IGNORE);
        }
        if (setting.equals("softmax ALL")) {
            builder.optClasses(ClassSelection.ALL);
        } else if (setting.startsWith("softmax classes")) {
            builder.optClasses(0, 2, 2).optClassWeights(1, 0.5, 2, 3);
        }
        LovaszSoftmaxLoss loss = builder.build();
        return in -> loss.evaluate(new NDList(in.get(0)), new NDList(in.get(1)));
    }

    /** Per pixel: all on one class (0/1), or half on two classes; C = 1: one of 0, ¼, ½, ¾, 1. */
    private static double[] tiedProbabilities(Random random, int classes) {
        double[] p = new double[B * classes * H * W];
        for (int b = 0; b < B; b++) {
            for (int pixel = 0; pixel < H * W; pixel++) {
                if (classes == 1) {
                    p[b * H * W + pixel] = random.nextInt(5) / 4.0;
                    continue;
                }
                int first = random.nextInt(classes);
                int second = random.nextBoolean() ? first : random.nextInt(classes);
                p[(b * classes + first) * H * W + pixel] += 0.5;
                p[(b * classes + second) * H * W + pixel] += 0.5;
            }
        }
        return p;
    }

    private static double[] tiedLogits(Random random) {
        double[] s = new double[B * H * W];
        for (int i = 0; i < s.length; i++) {
            s[i] = random.nextInt(9) / 2.0 - 2;
        }
        return s;
    }

    /**
     * {@code Σ ∂L/∂v_i · (1 − 2g_i)} over the pixels of each row that share one error; ignored
     * pixels (gradient exactly 0 with both kernels) are left out.
     */
    private static Map<String, Double> tieGroups(
            double[] gradient, double[] values, long[] labels, int classes, boolean hinge, boolean perImage) {
        Map<String, Double> groups = new HashMap<>();
        for (int b = 0; b < B; b++) {
            for (int c = 0; c < classes; c++) {
                for (int pixel = 0; pixel < H * W; pixel++) {
                    long label = labels[b * H * W + pixel];
                    int at = (b * classes + c) * H * W + pixel;
                    if (label == IGNORE) {
                        assertEquals(0.0, gradient[at], 0.0, "ignored pixel " + at);
                        continue;
                    }
                    boolean g = classes == 1 ? label == 1 : label == c;
                    double v = values[at];
                    double error = hinge ? 1 - v * (g ? 1 : -1) : Math.abs((g ? 1 : 0) - v);
                    String key = (perImage ? b + "/" : "") + c + " e=" + error;
                    groups.merge(key, gradient[at] * (g ? -1 : 1), Double::sum);
                }
            }
        }
        return groups;
    }
}
