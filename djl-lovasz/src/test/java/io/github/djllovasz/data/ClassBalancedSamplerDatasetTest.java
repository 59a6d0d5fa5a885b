package io.github.djllovasz.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
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
    void djlSplitHandsEachDeviceItsPlannedPiece() throws Exception {
        // Four "devices" that are all the CPU: Batch.split(devices, false) still cuts the batch into
        // four contiguous pieces of ceil(B/4) rows, as EasyTrain.trainBatch does for four GPUs.
        Device[] devices = {Device.cpu(), Device.cpu(), Device.cpu(), Device.cpu()};
        // {B, the rows of each piece, the classes of each piece (see the devices test)}
        Object[][] cases = {
            {8, List.of(2, 2, 2, 2), List.of(4, 4, 4, 2)},
            {9, List.of(3, 3, 3, 0), List.of(5, 5, 5, 0)},
            {10, List.of(3, 3, 3, 1), List.of(5, 5, 5, 1)},
        };
        for (Object[] c : cases) {
            int batchSize = (Integer) c[0];
            int[][] classes = ClassBalancedSamplerDevicesTest.richAndSingles(batchSize - 3);
            ClassBalancedSampler sampler =
                    ClassBalancedSampler.builder()
                            .setClasses(classes)
                            .setBatchSize(batchSize)
                            .setSeed(5L)
                            .optDevices(devices)
                            .build();
            try (NDManager manager = NDManager.newBaseManager()) {
                ArrayDataset dataset =
                        new ArrayDataset.Builder()
                                .setData(manager.arange((float) batchSize).reshape(batchSize, 1))
                                .optLabels(manager.arange((float) batchSize))
                                .setSampling(sampler)
                                .build();
                int batches = 0;
                for (Batch batch : dataset.getData(manager)) {
                    @SuppressWarnings("unchecked")
                    List<Long> indices = (List<Long>) batch.getIndices();
                    List<List<Long>> planned = ClassBalancedSamplerDevicesTest.cut(indices, 4);
                    Batch[] pieces = batch.split(devices, false);
                    assertEquals(4, pieces.length, "B = " + batchSize);
                    List<Integer> rows = new ArrayList<>();
                    List<List<Long>> received = new ArrayList<>();
                    for (Batch piece : pieces) {
                        NDArray data = piece.getData().head();
                        rows.add((int) data.getShape().get(0));
                        List<Long> images = new ArrayList<>();
                        for (float value : data.toFloatArray()) {
                            images.add((long) value);
                        }
                        received.add(images);
                        piece.close();
                    }
                    assertEquals(c[1], rows, "rows per device, B = " + batchSize);
                    assertEquals(planned, received, "each device gets its planned piece, B = " + batchSize);
                    assertEquals(c[2], ClassBalancedSamplerTest.coverage(received, classes), "B = " + batchSize);
                    batch.close();
                    batches++;
                }
                assertEquals(1, batches);
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
