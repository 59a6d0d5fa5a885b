package io.github.djllovasz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** The remembered loss values stay few: closed ones are dropped, the oldest beyond capacity. */
class SteppedValuesTest {

    @Test
    void closedValuesAreDroppedAndTheCapacityHolds() {
        SteppedValues values = new SteppedValues(4);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList labels = new NDList(manager.zeros(new ai.djl.ndarray.types.Shape(1)));
            // 1,000 steps whose values DJL closed with their batch: one entry left.
            for (int i = 0; i < 1000; i++) {
                NDList predictions = new NDList(manager.zeros(new ai.djl.ndarray.types.Shape(1)));
                NDArray value = manager.create(i);
                values.put(labels, predictions, value);
                assertSame(value, values.find(labels, predictions));
                value.close();
                predictions.close();
            }
            assertEquals(1, values.size());
            // Open values: the newest 4 are kept, the oldest is forgotten.
            NDList[] predictions = new NDList[6];
            for (int i = 0; i < predictions.length; i++) {
                predictions[i] = new NDList(manager.zeros(new ai.djl.ndarray.types.Shape(1)));
                values.put(labels, predictions[i], manager.create(i));
            }
            assertEquals(4, values.size());
            assertNull(values.find(labels, predictions[1]), "the oldest open value was dropped");
            assertEquals(5, values.find(labels, predictions[5]).getInt());
            assertEquals(2, values.find(labels, predictions[2]).getInt());
            // Same predictions, other labels: not the same batch.
            assertNull(values.find(new NDList(manager.zeros(new ai.djl.ndarray.types.Shape(1))), predictions[5]));
        }
    }
}
