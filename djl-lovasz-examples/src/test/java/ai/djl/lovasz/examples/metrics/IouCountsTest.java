package ai.djl.lovasz.examples.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class IouCountsTest {

    @Test
    void countsIntersectionOverUnionPerClass() {
        //                  truth:  0  0  1  1  1  2  255
        //             prediction:  0  1  1  1  2  2  1
        IouCounts counts = new IouCounts(3, 255)
                .add(new int[] {0, 1, 1, 1, 2, 2, 1}, new int[] {0, 0, 1, 1, 1, 2, 255});
        assertEquals(1.0 / 2, counts.iou(0), 1e-12); // {0}, {0, 1}
        assertEquals(2.0 / 4, counts.iou(1), 1e-12); // {2, 3} of {1, 2, 3, 4}
        assertEquals(1.0 / 2, counts.iou(2), 1e-12); // {5} of {4, 5}
        assertEquals(0.5, counts.meanIou(), 1e-12);
        assertEquals(4.0 / 6, counts.accuracy(), 1e-12);
        assertEquals(6, counts.counted());
    }

    @Test
    void undefinedClassIsSkippedOrCountedAsEmpty() {
        IouCounts counts = new IouCounts(3, null).add(new int[] {0, 1}, new int[] {0, 0});
        assertTrue(Double.isNaN(counts.iou(2)));
        assertEquals(0.5 * (0.5 + 0.0), counts.meanIou(), 1e-12);
        assertEquals((0.5 + 0.0 + 1.0) / 3, counts.meanIou(1.0), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> counts.add(new int[] {3}, new int[] {0}));
    }

    @Test
    void mergedCountsEqualCountsOfTheUnion() {
        IouCounts a = new IouCounts(2, null).add(new int[] {0, 1, 1}, new int[] {0, 1, 0});
        IouCounts b = new IouCounts(2, null).add(new int[] {1, 0}, new int[] {1, 1});
        IouCounts all = new IouCounts(2, null)
                .add(new int[] {0, 1, 1, 1, 0}, new int[] {0, 1, 0, 1, 1});
        a.add(b);
        assertEquals(all.iou(0), a.iou(0), 1e-12);
        assertEquals(all.iou(1), a.iou(1), 1e-12);
    }

    @Test
    void evaluatorAccumulatesDatasetIouFromLogits() {
        try (NDManager m = NDManager.newBaseManager()) {
            // logits [1, 2, 1, 3]: predicted classes 1, 0, 1
            NDArray logits = m.create(new float[] {0, 5, 0, 1, 0, 2}, new Shape(1, 2, 1, 3));
            NDArray labels = m.create(new int[] {1, 1, 0}, new Shape(1, 1, 3));
            MeanIouEvaluator evaluator = new MeanIouEvaluator("mIoU", 2, null);
            evaluator.addAccumulator("k");
            evaluator.updateAccumulators(new String[] {"k"}, new NDList(labels), new NDList(logits));
            // class 0: pred {1}, truth {2} -> 0; class 1: pred {0, 2}, truth {0, 1} -> 1/3
            assertEquals((0 + 1.0 / 3) / 2, evaluator.getAccumulator("k"), 1e-6);
            evaluator.updateAccumulators(new String[] {"k"}, new NDList(labels), new NDList(logits));
            assertEquals((0 + 2.0 / 6) / 2, evaluator.getAccumulator("k"), 1e-6);
            assertEquals((0 + 1.0 / 3) / 2,
                    evaluator.evaluate(new NDList(labels), new NDList(logits)).getFloat(), 1e-6);
            evaluator.resetAccumulator("k");
            assertTrue(Float.isNaN(evaluator.getAccumulator("k")));
        }
    }
}
