package io.github.djllovasz.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.djllovasz.LovaszSoftmaxLoss;
import io.github.djllovasz.testutil.Grad;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Repeated calls are bitwise identical on CPU, and ties in the errors do not change the loss. */
class DeterminismTest {

    @Test
    void repeatedCallsAreBitwiseIdentical() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                NDArray logits =
                        ReliabilityFixtures.logits(manager, 1, 3, 6, 32, 32).toType(type, false);
                NDArray labels = ReliabilityFixtures.labels(manager, 2, 6, 3, 32, 32);
                LovaszSoftmaxLoss loss = ReliabilityFixtures.softmax(true);
                Grad first = Grad.of(logits, x -> loss.evaluate(labels, x));
                for (int i = 0; i < 9; i++) {
                    Grad again = Grad.of(logits, x -> loss.evaluate(labels, x));
                    assertEquals(
                            Double.doubleToRawLongBits(first.loss),
                            Double.doubleToRawLongBits(again.loss),
                            type + " loss of call " + (i + 2));
                    assertArrayEquals(first.gradient, again.gradient, 0.0, type + " gradient of call " + (i + 2));
                }
            }
        }
    }

    /**
     * Quantised logits make many errors exactly equal; reversing the pixel order changes how a
     * sort orders the ties but, the Lovász extension being order-free among ties, not the loss.
     */
    @Test
    void tiesDoNotChangeTheLoss() {
        int classes = 4;
        int pixels = 400;
        Random random = new Random(5);
        double[] logits = new double[classes * pixels];
        long[] labels = new long[pixels];
        for (int i = 0; i < pixels; i++) {
            labels[i] = random.nextInt(classes);
            for (int c = 0; c < classes; c++) {
                logits[c * pixels + i] = random.nextInt(3) - 1; // three levels: many exact ties
            }
        }
        double[] reversed = new double[logits.length];
        long[] reversedLabels = new long[pixels];
        for (int i = 0; i < pixels; i++) {
            reversedLabels[i] = labels[pixels - 1 - i];
            for (int c = 0; c < classes; c++) {
                reversed[c * pixels + i] = logits[c * pixels + pixels - 1 - i];
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            for (boolean present : new boolean[] {true, false}) {
                LovaszSoftmaxLoss loss =
                        present
                                ? LovaszSoftmaxLoss.builder().build()
                                : LovaszSoftmaxLoss.builder().optClasses(io.github.djllovasz.ClassSelection.ALL).build();
                double a =
                        Grad.value(
                                manager.create(logits, new Shape(1, classes, pixels)),
                                x -> loss.evaluate(manager.create(labels, new Shape(1, pixels)), x));
                double b =
                        Grad.value(
                                manager.create(reversed, new Shape(1, classes, pixels)),
                                x -> loss.evaluate(manager.create(reversedLabels, new Shape(1, pixels)), x));
                assertEquals(a, b, 1e-14, "present=" + present);
            }
        }
    }
}
