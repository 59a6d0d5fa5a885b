package io.github.djllovasz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.djllovasz.testutil.Grad;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What is particular to the host kernel: a row split among threads gives the slopes of the
 * unsplit row, and the slopes a forward pass hands to autograd are its own, so that two forward
 * passes before one backward each get their gradient.
 */
class HostKernelTest {

    @Test
    void aRowSplitInChunksGivesTheSlopesOfTheWholeRow() {
        int length = 5 * HostKernel.MIN_CHUNK + 17;
        Random random = new Random(3);
        float[] logits = new float[length];
        long[] labels = new long[length];
        for (int i = 0; i < length; i++) {
            logits[i] = random.nextInt(9) / 2f - 2; // many ties
            labels[i] = random.nextInt(10) == 0 ? 255 : random.nextInt(2);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            HostRows rows = HostRows.ofHinge(manager.create(logits, new Shape(1, length)), manager.create(labels), 1,
                    new double[] {1}, 255);
            HostKernel.Slopes whole = HostKernel.slopes(rows, 1);
            for (int threads : new int[] {2, 3, 5}) {
                HostKernel.Slopes split = HostKernel.slopes(rows, threads);
                assertArrayEquals(whole.factors.toFloatArray(), split.factors.toFloatArray(), threads + " chunks");
                assertEquals(whole.constant, split.constant, 1e-12, threads + " chunks");
            }
        }
    }

    /**
     * Slopes written in blocks (packed with their offsets, bucketed by the offset's top bits) equal
     * slopes written one by one, for a row sorted whole and one split among threads, several
     * classes interleaved in the output and rows of coefficient 0 included.
     */
    @Test
    void slopesWrittenInBlocksEqualSlopesWrittenOneByOne() {
        Random random = new Random(5);
        int batch = 3;
        int classes = 4;
        int pixels = 3 * HostKernel.MIN_CHUNK + 5;
        float[] probas = new float[batch * classes * pixels];
        long[] labels = new long[batch * pixels];
        for (int i = 0; i < probas.length; i++) {
            probas[i] = random.nextInt(50) / 49f;
        }
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(8) == 0 ? 255 : random.nextInt(classes - 1); // class 3 absent
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray values = manager.create(probas, new Shape(batch, classes, pixels));
            NDArray ids = manager.create(labels);
            for (int groups : new int[] {1, batch}) {
                double[] scale = new double[groups * classes];
                for (int r = 0; r < scale.length; r++) {
                    scale[r] = r % classes == 3 ? 0 : 0.25 + r;
                }
                HostRows rows = HostRows.ofClasses(values, 1, ids, groups, new long[] {0, 1, 2, 3}, scale, 255);
                for (int threads : new int[] {1, 2, 3}) {
                    HostKernel.Slopes direct = HostKernel.slopes(rows, threads, Integer.MAX_VALUE);
                    HostKernel.Slopes blocked = HostKernel.slopes(rows, threads, 0);
                    String what = groups + " groups, " + threads + " threads";
                    assertArrayEquals(direct.factors.toFloatArray(), blocked.factors.toFloatArray(), what);
                    assertEquals(direct.constant, blocked.constant, 0, what);
                }
            }
        }
    }

    @Test
    void twoForwardPassesBeforeOneBackwardEachKeepTheirSlopes() {
        LovaszSoftmaxLoss loss = LovaszSoftmaxLoss.builder().optKernel(Kernel.HOST).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(8);
            NDArray first = manager.randomNormal(new Shape(2, 3, 16, 16));
            NDArray second = manager.randomNormal(new Shape(2, 3, 16, 16));
            NDArray labels = manager.randomInteger(0, 3, new Shape(2, 16, 16), DataType.INT64);
            double[] firstAlone = Grad.of(first, x -> loss.evaluate(new NDList(labels), new NDList(x))).gradient;
            double[] secondAlone = Grad.of(second, x -> loss.evaluate(new NDList(labels), new NDList(x))).gradient;

            NDArray a = first.duplicate();
            NDArray b = second.duplicate();
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray la = loss.evaluate(new NDList(labels), new NDList(a));
                NDArray lb = loss.evaluate(new NDList(labels), new NDList(b));
                collector.backward(la.add(lb));
            }
            assertArrayEquals(firstAlone, Grad.toDoubles(a.getGradient()), 1e-7, "first");
            assertArrayEquals(secondAlone, Grad.toDoubles(b.getGradient()), 1e-7, "second");
        }
    }
    /**
     * The host kernel reads the probabilities in place: a class axis in the middle ({@code [B, 3,
     * C, 5, 6]}: 3 blocks before it, 30 elements after) or last gives the loss and gradient of the
     * engine kernel, which copies the rows out. Normal logits have no ties, so the gradients agree
     * pixel by pixel.
     */
    @Test
    void theClassAxisAnywhereGivesTheEngineKernelsLossAndGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(21);
            for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                for (int axis : new int[] {2, -1}) {
                    for (boolean perImage : new boolean[] {false, true}) {
                        Shape shape = axis == 2 ? new Shape(2, 3, 4, 5, 6) : new Shape(2, 3, 5, 4);
                        Shape labelShape = axis == 2 ? new Shape(2, 3, 5, 6) : new Shape(2, 3, 5);
                        NDArray logits = manager.randomNormal(shape).toType(type, false);
                        NDArray labels = manager.randomInteger(0, 5, labelShape, DataType.INT64); // 4: ignored
                        String what = type + " axis " + axis + " perImage " + perImage;
                        Grad[] byKernel = new Grad[2];
                        for (Kernel kernel : new Kernel[] {Kernel.ENGINE, Kernel.HOST}) {
                            LovaszSoftmaxLoss loss = LovaszSoftmaxLoss.builder().optClassAxis(axis)
                                    .optPerImage(perImage).optIgnoreIndex(4).optKernel(kernel).build();
                            byKernel[kernel.ordinal() - 1] =
                                    Grad.of(logits, x -> loss.evaluate(new NDList(labels), new NDList(x)));
                        }
                        double tolerance = type == DataType.FLOAT64 ? 1e-12 : 1e-6;
                        assertEquals(byKernel[0].loss, byKernel[1].loss, tolerance, what);
                        assertArrayEquals(byKernel[0].gradient, byKernel[1].gradient, tolerance, what);
                    }
                }
            }
        }
    }
}
