package ai.djl.lovasz.examples.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.lovasz.composite.SegmentationCrossEntropyLoss;
import ai.djl.lovasz.LovaszSoftmaxLoss;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhasedLossTest {

    @Test
    void switchesLossAtTheStartEpoch() {
        Loss ce = new SegmentationCrossEntropyLoss("CrossEntropy", null, 1);
        Loss lovasz = LovaszSoftmaxLoss.builder().build();
        PhasedLoss loss = new PhasedLoss("p",
                List.of(new PhasedLoss.Phase(0, ce), new PhasedLoss.Phase(3, lovasz)));
        assertSame(ce, loss.current());
        loss.setEpoch(2);
        assertSame(ce, loss.current());
        loss.setEpoch(3);
        assertSame(lovasz, loss.current());
        loss.setEpoch(10);
        assertSame(lovasz, loss.current());
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.randomNormal(new Shape(2, 3, 4, 4));
            NDArray labels = m.randomInteger(0, 3, new Shape(2, 4, 4), ai.djl.ndarray.types.DataType.INT32);
            float phased = loss.evaluate(new NDList(labels), new NDList(logits)).getFloat();
            float direct = lovasz.evaluate(new NDList(labels), new NDList(logits)).getFloat();
            assertEquals(direct, phased, 1e-7);
        }
    }

    @Test
    void accumulatorAveragesTheBatchLossesWithoutRecomputing() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.randomNormal(new Shape(2, 3, 4, 4));
            NDArray labels = m.randomInteger(0, 3, new Shape(2, 4, 4), ai.djl.ndarray.types.DataType.INT32);
            int[] calls = {0};
            Loss counting = new Loss("counting") {
                @Override
                public NDArray evaluate(NDList l, NDList p) {
                    calls[0]++;
                    return m.create(calls[0] == 1 ? 2f : 4f);
                }
            };
            PhasedLoss loss = PhasedLoss.constant(counting);
            loss.addAccumulator("k");
            NDList predictions = new NDList(logits);
            loss.evaluate(new NDList(labels), predictions);
            loss.updateAccumulators(new String[] {"k"}, new NDList(labels), predictions);
            assertEquals(1, calls[0], "the value of evaluate() is reused");
            loss.updateAccumulators(new String[] {"k"}, new NDList(labels), new NDList(logits.add(0)));
            assertEquals(2, calls[0], "other predictions are evaluated");
            assertEquals(3f, loss.getAccumulator("k"), 1e-7);
        }
    }

    @Test
    void rejectsPhasesOutOfOrder() {
        Loss ce = new SegmentationCrossEntropyLoss("CrossEntropy", null, 1);
        assertThrows(IllegalArgumentException.class,
                () -> new PhasedLoss("p", List.of(new PhasedLoss.Phase(1, ce))));
        assertThrows(IllegalArgumentException.class, () -> new PhasedLoss("p",
                List.of(new PhasedLoss.Phase(0, ce), new PhasedLoss.Phase(0, ce))));
    }
}
