package ai.djl.lovasz.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link ClassBalancedSampler} as the sampling of a DJL {@link ArrayDataset}. */
class ClassBalancedSamplerDatasetTest {

    @Test
    void arrayDatasetYieldsBatchesWithEveryClass() throws Exception {
        // 16 images; image i holds class i % 4 (its label), its data is i.
        List<Set<Integer>> classes = new ArrayList<>();
        float[] labels = new float[16];
        for (int i = 0; i < 16; i++) {
            classes.add(Set.of(i % 4));
            labels[i] = i % 4;
        }
        ClassBalancedSampler sampler = new ClassBalancedSampler(classes, 4, 7L);
        try (NDManager manager = NDManager.newBaseManager()) {
            ArrayDataset dataset =
                    new ArrayDataset.Builder()
                            .setData(manager.arange(16f).reshape(16, 1))
                            .optLabels(manager.create(labels))
                            .setSampling(sampler)
                            .build();
            for (int epoch = 0; epoch < 2; epoch++) {
                List<Float> seen = new ArrayList<>();
                int batches = 0;
                for (Batch batch : dataset.getData(manager)) {
                    NDArray data = batch.getData().head();
                    assertEquals(new Shape(4, 1), data.getShape());
                    float[] batchLabels = batch.getLabels().head().toType(DataType.FLOAT32, false).toFloatArray();
                    Arrays.sort(batchLabels);
                    assertTrue(Arrays.equals(new float[] {0, 1, 2, 3}, batchLabels), Arrays.toString(batchLabels));
                    for (float value : data.toFloatArray()) {
                        seen.add(value);
                    }
                    batches++;
                    batch.close();
                }
                assertEquals(4, batches);
                seen.sort(null);
                assertEquals(
                        IntStream.range(0, 16).mapToObj(i -> (float) i).collect(Collectors.toList()),
                        seen,
                        "every image once in epoch " + epoch);
            }
        }
    }

    @Test
    void datasetOfAnotherSizeIsRejected() {
        ClassBalancedSampler sampler = new ClassBalancedSampler(new int[][] {{0}, {1}, {0}}, 2, 1L);
        try (NDManager manager = NDManager.newBaseManager()) {
            ArrayDataset dataset =
                    new ArrayDataset.Builder().setData(manager.zeros(new Shape(4, 1))).setSampling(sampler).build();
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> sampler.sample(dataset));
            assertTrue(e.getMessage().contains("class lists for 3 images but the dataset has 4"), e.getMessage());
        }
    }
}
