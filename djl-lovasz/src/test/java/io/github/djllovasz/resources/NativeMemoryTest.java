package io.github.djllovasz.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import io.github.djllovasz.LovaszHingeLoss;
import io.github.djllovasz.LovaszSoftmaxLoss;
import io.github.djllovasz.testutil.LiveArrays;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import org.junit.jupiter.api.Test;

/** Every intermediate array of a loss call is closed: repeated calls leave no arrays behind. */
class NativeMemoryTest {

    @Test
    void repeatedForwardBackwardLeavesNoArrays() {
        Loss[] losses = {
            LovaszSoftmaxLoss.builder().optIgnoreIndex(3).build(),
            LovaszSoftmaxLoss.builder().optPerImage(true).optIgnoreIndex(3).build(),
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.randomNormal(new Shape(2, 3, 8, 8));
            logits.setRequiresGradient(true);
            NDArray labels = manager.randomInteger(0, 4, new Shape(2, 8, 8), DataType.INT64);
            NDArray binary = manager.randomInteger(0, 2, new Shape(2, 8, 8), DataType.INT64);
            NDArray hingeLogits = manager.randomNormal(new Shape(2, 8, 8));
            hingeLogits.setRequiresGradient(true);
            LovaszHingeLoss hinge = LovaszHingeLoss.builder().build();
            LiveArrays live = LiveArrays.of(manager);
            for (int i = 0; i < 300; i++) {
                // The step scope holds what DJL's backward creates (a ones-like seed gradient).
                try (NDManager step = manager.newSubManager();
                        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray a = ((LovaszSoftmaxLoss) losses[i % 2]).evaluate(labels, logits);
                    assertEquals(live.atStart() + 1, live.now(), "only the loss is new");
                    a.attach(step);
                    NDArray b = hinge.evaluate(binary, hingeLogits);
                    b.attach(step);
                    collector.backward(a.add(b));
                }
                live.assertUnchanged("live arrays after call " + i);
            }
        }
    }
}
