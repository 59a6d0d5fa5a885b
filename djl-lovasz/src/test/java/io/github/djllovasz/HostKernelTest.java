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
        boolean[] foreground = new boolean[length];
        boolean[] valid = new boolean[length];
        for (int i = 0; i < length; i++) {
            logits[i] = random.nextInt(9) / 2f - 2; // many ties
            foreground[i] = random.nextBoolean();
            valid[i] = random.nextInt(10) != 0;
            foreground[i] &= valid[i];
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Rows rows =
                    new Rows(manager.create(logits, new Shape(1, length)), manager.create(foreground, new Shape(1, length)),
                            manager.create(valid, new Shape(1, length)), Rows.Errors.HINGE, new double[] {1});
            HostKernel.Slopes whole = HostKernel.slopes(rows, 1);
            for (int threads : new int[] {2, 3, 5}) {
                HostKernel.Slopes split = HostKernel.slopes(rows, threads);
                assertArrayEquals(whole.factors.toFloatArray(), split.factors.toFloatArray(), threads + " chunks");
                assertEquals(whole.constants[0], split.constants[0], 1e-12, threads + " chunks");
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
}
