package ai.djl.lovasz.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Greedy class-covering batches. */
class ClassBalancedSamplerTest {

    /** 16 images, each holding one of 4 classes (4 images per class). */
    private static int[][] oneClassEach() {
        int[][] classes = new int[16][];
        for (int i = 0; i < 16; i++) {
            classes[i] = new int[] {i % 4};
        }
        return classes;
    }

    private static int covered(List<Long> batch, int[][] classes) {
        Set<Integer> seen = new HashSet<>();
        for (long i : batch) {
            for (int c : classes[(int) i]) {
                seen.add(c);
            }
        }
        return seen.size();
    }

    @Test
    void everyBatchCoversAllClassesWhenPossible() {
        int[][] classes = oneClassEach();
        ClassBalancedSampler sampler = new ClassBalancedSampler(classes, 4, 1);
        List<List<Long>> batches = sampler.epochBatches(0);
        assertEquals(4, batches.size());
        for (List<Long> batch : batches) {
            assertEquals(4, covered(batch, classes), "batch " + batch);
        }
        // A random batching of the same images covers fewer classes on average.
        List<Long> order = new ArrayList<>();
        for (long i = 0; i < 16; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(1));
        int randomCovered = 0;
        for (int b = 0; b < 4; b++) {
            randomCovered += covered(order.subList(4 * b, 4 * b + 4), classes);
        }
        assertTrue(randomCovered < 16, "random batching covered " + randomCovered + " of 16");
    }

    @Test
    void everyIndexOncePerEpochAndDeterministic() {
        int[][] classes = new int[23][];
        Random random = new Random(7);
        for (int i = 0; i < classes.length; i++) {
            classes[i] = new int[] {random.nextInt(6), random.nextInt(6)};
        }
        ClassBalancedSampler a = new ClassBalancedSampler(classes, 5, 42);
        ClassBalancedSampler b = new ClassBalancedSampler(classes, 5, 42);
        for (int epoch = 0; epoch < 3; epoch++) {
            List<List<Long>> batches = a.epochBatches(epoch);
            assertEquals(batches, b.epochBatches(epoch));
            List<Long> all = new ArrayList<>();
            batches.forEach(all::addAll);
            Collections.sort(all);
            for (int i = 0; i < 23; i++) {
                assertEquals(i, all.get(i).intValue());
            }
            assertEquals(5, batches.get(0).size());
            assertEquals(3, batches.get(batches.size() - 1).size());
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new ClassBalancedSampler(oneClassEach(), 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ClassBalancedSampler(new int[0][], 2, 1));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new ClassBalancedSampler(new int[][] {{1, -3}}, 2, 1));
        assertTrue(e.getMessage().contains("-3"), e.getMessage());
    }

    @Test
    void drivesAnArrayDataset() throws Exception {
        int[][] classes = oneClassEach();
        try (NDManager manager = NDManager.newBaseManager()) {
            ArrayDataset dataset =
                    new ArrayDataset.Builder()
                            .setData(manager.arange(16f).reshape(16, 1))
                            .optLabels(manager.arange(16f).reshape(16, 1))
                            .setSampling(new ClassBalancedSampler(classes, 4, 3))
                            .build();
            int batches = 0;
            Set<Integer> seen = new HashSet<>();
            for (Batch batch : dataset.getData(manager)) {
                float[] ids = batch.getData().singletonOrThrow().toFloatArray();
                List<Long> indices = new ArrayList<>();
                for (float id : ids) {
                    indices.add((long) id);
                    seen.add((int) id);
                }
                assertEquals(4, covered(indices, classes));
                batch.close();
                batches++;
            }
            assertEquals(4, batches);
            assertEquals(16, seen.size());
        }
    }
}
