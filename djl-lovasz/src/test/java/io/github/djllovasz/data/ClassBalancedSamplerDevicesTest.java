package io.github.djllovasz.data;

import static io.github.djllovasz.data.ClassBalancedSamplerTest.assertMessage;
import static io.github.djllovasz.data.ClassBalancedSamplerTest.randomClasses;
import static io.github.djllovasz.data.ClassBalancedSamplerTest.range;
import static io.github.djllovasz.data.ClassBalancedSamplerTest.sortedIndices;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@link ClassBalancedSampler} planning each batch as the pieces DJL hands to k devices. */
class ClassBalancedSamplerDevicesTest {

    /**
     * Three class-rich images sharing class 0, then {@code singles} images each holding one class
     * of its own: R0 = {0,1,2}, R1 = {0,3,4}, R2 = {0,5,6}, S_j = {7 + j}.
     */
    static int[][] richAndSingles(int singles) {
        int[][] classes = new int[3 + singles][];
        classes[0] = new int[] {0, 1, 2};
        classes[1] = new int[] {0, 3, 4};
        classes[2] = new int[] {0, 5, 6};
        for (int j = 0; j < singles; j++) {
            classes[3 + j] = new int[] {7 + j};
        }
        return classes;
    }

    /** Cuts a batch into the contiguous pieces of {@link ClassBalancedSampler#shardSizes}. */
    static List<List<Long>> cut(List<Long> batch, int devices) {
        List<List<Long>> shards = new ArrayList<>();
        int from = 0;
        for (int size : ClassBalancedSampler.shardSizes(batch.size(), devices)) {
            shards.add(batch.subList(from, from + size));
            from += size;
        }
        assertEquals(batch.size(), from);
        return shards;
    }

    /** The distinct classes of each device's piece of each batch (empty pieces count 0). */
    static List<List<Integer>> shardCoverage(List<List<Long>> batches, int devices, int[][] classes) {
        List<List<Integer>> coverage = new ArrayList<>();
        for (List<Long> batch : batches) {
            coverage.add(ClassBalancedSamplerTest.coverage(cut(batch, devices), classes));
        }
        return coverage;
    }

    static ClassBalancedSampler sampler(int[][] classes, int batchSize, long seed, int devices) {
        return ClassBalancedSampler.builder()
                .setClasses(classes)
                .setBatchSize(batchSize)
                .setSeed(seed)
                .optDeviceCount(devices)
                .build();
    }

    @Test
    void shardSizesFollowDjlCeilChunking() {
        // ceil(B/k) images per device, contiguous, the last devices fewer or none.
        assertArrayEquals(new int[] {2, 2, 2, 2}, ClassBalancedSampler.shardSizes(8, 4)); // ceil(8/4) = 2
        assertArrayEquals(new int[] {3, 3, 3, 0}, ClassBalancedSampler.shardSizes(9, 4)); // ceil(9/4) = 3
        assertArrayEquals(new int[] {3, 3, 3, 1}, ClassBalancedSampler.shardSizes(10, 4)); // ceil(10/4) = 3
        assertArrayEquals(new int[] {2, 2, 2, 1}, ClassBalancedSampler.shardSizes(7, 4)); // ceil(7/4) = 2
        assertArrayEquals(new int[] {2, 2, 1, 0}, ClassBalancedSampler.shardSizes(5, 4)); // ceil(5/4) = 2
        assertArrayEquals(new int[] {1, 1, 1, 0}, ClassBalancedSampler.shardSizes(3, 4)); // B < k
        assertArrayEquals(new int[] {3, 3, 2}, ClassBalancedSampler.shardSizes(8, 3)); // ceil(8/3) = 3
        assertArrayEquals(new int[] {7}, ClassBalancedSampler.shardSizes(7, 1));
    }

    @Test
    void perDeviceBalancingCoversMoreClassesPerShard() {
        // Each case: {B = dataset size = one batch, plain piece coverage, per-device piece coverage},
        // with k = 4 devices. Plain greedy takes R0, R1, R2 first (gain 3, then 2 > 1 for a
        // single), then the singles (gain 1 each) in random order, and DJL cuts that list.
        // Per device (snake order 0 1 2 3 | 3 2 1 0 | 0 1 2 3): round 0 gives devices 0, 1 and 2
        // one rich image each (gain 3 on an empty piece > 1) and device 3 a single; every later
        // pick is a single adding 1.
        //   B = 8, pieces 2,2,2,2:  plain  {R,R}=5 {R,S}=4 {S,S}=2 {S,S}=2     total 13
        //                           device {R,S}=4 {R,S}=4 {R,S}=4 {S,S}=2     total 14
        //   B = 9, pieces 3,3,3,0:  plain  {R,R,R}=7 {S,S,S}=3 {S,S,S}=3 {}=0  total 13
        //                           device {R,S,S}=5 ×3, {}=0                  total 15
        //   B = 10, pieces 3,3,3,1: plain  {R,R,R}=7 {S,S,S}=3 {S,S,S}=3 {S}=1 total 14
        //                           device {R,S,S}=5 ×3, {S}=1                 total 16
        Object[][] cases = {
            {8, List.of(5, 4, 2, 2), List.of(4, 4, 4, 2)},
            {9, List.of(7, 3, 3, 0), List.of(5, 5, 5, 0)},
            {10, List.of(7, 3, 3, 1), List.of(5, 5, 5, 1)},
        };
        for (Object[] c : cases) {
            int batchSize = (Integer) c[0];
            int[][] classes = richAndSingles(batchSize - 3);
            for (long seed = 0; seed < 20; seed++) {
                List<List<Long>> plain = new ClassBalancedSampler(classes, batchSize, seed).nextEpoch();
                assertEquals(List.of(c[1]), shardCoverage(plain, 4, classes), "plain, B = " + batchSize);
                List<List<Long>> balanced = sampler(classes, batchSize, seed, 4).nextEpoch();
                assertEquals(List.of(c[2]), shardCoverage(balanced, 4, classes), "4 devices, B = " + batchSize);
                // Each non-empty piece of devices 0 to 2 opens with its one rich image (index < 3).
                List<List<Long>> shards = cut(balanced.get(0), 4);
                for (int d = 0; d < 3; d++) {
                    List<Long> shard = shards.get(d);
                    assertTrue(shard.get(0) < 3, "device " + d + " first takes a rich image: " + shard);
                    assertEquals(1, shard.stream().filter(i -> i < 3).count(), "one rich image per piece: " + shard);
                }
            }
        }
    }

    @Test
    void remainderBatchIsPlannedForItsOwnSize() {
        // 7 images, B = 16: the only batch is the remainder of 7, which DJL cuts 2,2,2,1
        // (not 4,4,4,4): {R,S}=4 {R,S}=4 {R,S}=4 {S}=1.
        int[][] classes = richAndSingles(4);
        for (long seed = 0; seed < 10; seed++) {
            List<List<Long>> batches = sampler(classes, 16, seed, 4).nextEpoch();
            assertEquals(List.of(List.of(4, 4, 4, 1)), shardCoverage(batches, 4, classes), "seed " + seed);
        }
    }

    @Test
    void classRichImagesAreSpreadOverTheDevices() {
        // 480 images with 0 to 3 draws of 10 classes, B = 16, k = 4, 10 epochs of 30 batches:
        // distinct classes per device summed over the 300 batches (the numbers in the Javadoc).
        Random random = new Random(100);
        int[][] classes = new int[480][];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = random.ints(random.nextInt(4), 0, 10).toArray();
        }
        assertEquals(List.of(2700, 1202, 1168, 1085), totalsPerDevice(sampler(classes, 16, 42L, 1), classes));
        assertEquals(List.of(1715, 1712, 1698, 1701), totalsPerDevice(sampler(classes, 16, 42L, 4), classes));
    }

    static List<Integer> totalsPerDevice(ClassBalancedSampler sampler, int[][] classes) {
        int[] totals = new int[4];
        int batches = 0;
        for (int epoch = 0; epoch < 10; epoch++) {
            for (List<Integer> perDevice : shardCoverage(sampler.nextEpoch(), 4, classes)) {
                for (int d = 0; d < 4; d++) {
                    totals[d] += perDevice.get(d);
                }
                batches++;
            }
        }
        assertEquals(300, batches);
        return List.of(totals[0], totals[1], totals[2], totals[3]);
    }

    @Test
    void everyIndexAppearsExactlyOncePerEpoch() {
        for (int devices : new int[] {2, 3, 4, 8, 20}) {
            ClassBalancedSampler sampler = sampler(randomClasses(), 8, 11L, devices);
            assertEquals(devices, sampler.getDeviceCount());
            for (int epoch = 0; epoch < 3; epoch++) {
                List<List<Long>> batches = sampler.nextEpoch();
                assertEquals(13, batches.size(), "ceil(103 / 8) batches, k = " + devices);
                assertEquals(range(103), sortedIndices(batches), "k = " + devices);
                List<Integer> sizes = batches.stream().map(List::size).sorted().collect(Collectors.toList());
                assertEquals(7, sizes.get(0), "one remainder batch of 103 − 12·8 = 7");
                assertEquals(Collections.nCopies(12, 8), sizes.subList(1, 13));
            }
        }
    }

    @Test
    void dropLastDropsOnlyTheRemainder() {
        ClassBalancedSampler sampler =
                ClassBalancedSampler.builder()
                        .setClasses(randomClasses())
                        .setBatchSize(8)
                        .setSeed(11L)
                        .optDropLast(true)
                        .optDeviceCount(3)
                        .build();
        assertTrue(sampler.isDropLast());
        for (int epoch = 0; epoch < 3; epoch++) {
            List<List<Long>> batches = sampler.nextEpoch();
            assertEquals(12, batches.size());
            assertTrue(batches.stream().allMatch(b -> b.size() == 8));
            assertEquals(96, new HashSet<>(sortedIndices(batches)).size(), "96 distinct indices, none repeated");
        }
    }

    @Test
    void deterministicForASeed() {
        int[][] classes = randomClasses();
        ClassBalancedSampler first = sampler(classes, 8, 42L, 4);
        ClassBalancedSampler second = sampler(classes, 8, 42L, 4);
        List<List<Long>> epoch0 = first.nextEpoch();
        assertEquals(epoch0, second.nextEpoch());
        List<List<Long>> epoch1 = first.nextEpoch();
        assertEquals(epoch1, second.nextEpoch());
        assertNotEquals(epoch0, epoch1, "successive epochs differ");
        assertNotEquals(epoch0, sampler(classes, 8, 43L, 4).nextEpoch(), "another seed");
        assertNotEquals(epoch0, sampler(classes, 8, 42L, 1).nextEpoch(), "one device plans differently");
    }

    @Test
    void oneDeviceGivesTheEpochsOfThePlainSampler() {
        // Recorded from the sampler before devices existed (same seeds, same data).
        int[][] small = {{0, 1, 2}, {3}, {0}, {1}, {2, 3}, {}, {4}, {0, 4}, {1}, {3}};
        ClassBalancedSampler plain = new ClassBalancedSampler(small, 3, 42L);
        assertEquals(1, plain.getDeviceCount());
        assertEquals("[[5], [4, 8, 2], [0, 1, 7], [9, 6, 3]]", plain.nextEpoch().toString());
        assertEquals("[[4, 3, 6], [5], [9, 2, 8], [0, 7, 1]]", plain.nextEpoch().toString());
        ClassBalancedSampler one = sampler(small, 3, 42L, 1);
        assertEquals("[[5], [4, 8, 2], [0, 1, 7], [9, 6, 3]]", one.nextEpoch().toString());
        assertEquals("[[4, 3, 6], [5], [9, 2, 8], [0, 7, 1]]", one.nextEpoch().toString());
        ClassBalancedSampler oneDevice =
                ClassBalancedSampler.builder()
                        .setClasses(small)
                        .setBatchSize(3)
                        .setSeed(42L)
                        .optDropLast(true)
                        .optDevices(new Device[] {Device.cpu()})
                        .build();
        assertEquals("[[0, 1, 7], [9, 6, 3], [4, 8, 2]]", oneDevice.nextEpoch().toString());
        assertEquals(
                "[[0, 1, 7], [9, 6, 3], [4, 8, 2]]",
                new ClassBalancedSampler(small, 3, 42L, true).nextEpoch().toString());

        // 103 images, B = 8: the hash codes of the old sampler's first three epochs.
        ClassBalancedSampler big = sampler(randomClasses(), 8, 42L, 1);
        assertEquals(1067263701, big.nextEpoch().hashCode());
        assertEquals(457091089, big.nextEpoch().hashCode());
        assertEquals(74924145, big.nextEpoch().hashCode());
        ClassBalancedSampler bigDrop = new ClassBalancedSampler(randomClasses(), 8, 42L, true);
        assertEquals(-1004304571, bigDrop.nextEpoch().hashCode());
    }

    @Test
    void builderMatchesTheConstructors() {
        int[][] arrays = {{2, 0, 2}, {}, {5}, {0}, {5, 2}};
        List<Set<Integer>> sets = List.of(Set.of(0, 2), Set.of(), Set.of(5), Set.of(0), Set.of(2, 5));
        ClassBalancedSampler built =
                ClassBalancedSampler.builder().setClasses(sets).setBatchSize(2).setSeed(9L).build();
        assertEquals(2, built.getBatchSize());
        assertEquals(1, built.getDeviceCount());
        assertEquals(false, built.isDropLast());
        assertEquals(new ClassBalancedSampler(arrays, 2, 9L).nextEpoch(), built.nextEpoch());
        Device[] devices = {Device.cpu(), Device.cpu()};
        assertEquals(
                sampler(arrays, 4, 9L, 2).nextEpoch(),
                ClassBalancedSampler.builder()
                        .setClasses(sets)
                        .setBatchSize(4)
                        .setSeed(9L)
                        .optDevices(devices)
                        .build()
                        .nextEpoch());
    }

    @Test
    void badDeviceArgumentsAreRejected() {
        int[][] classes = {{0}, {1}};
        assertMessage("device count must be at least 1, got 0", () -> ClassBalancedSampler.builder().optDeviceCount(0));
        assertMessage("device count must be at least 1, got -2", () -> ClassBalancedSampler.builder().optDeviceCount(-2));
        assertMessage("devices must hold at least one device, got null", () -> ClassBalancedSampler.builder().optDevices(null));
        assertMessage("got an empty array", () -> ClassBalancedSampler.builder().optDevices(new Device[0]));
        assertMessage("devices[1] is null", () -> ClassBalancedSampler.builder().optDevices(new Device[] {Device.cpu(), null}));
        assertMessage("setClasses is required", () -> ClassBalancedSampler.builder().setBatchSize(2).setSeed(1L).build());
        assertMessage("setSeed is required", () -> ClassBalancedSampler.builder().setClasses(classes).setBatchSize(2).build());
        assertMessage("batch size must be at least 1, got 0", () -> ClassBalancedSampler.builder().setClasses(classes).setSeed(1L).build());
        assertMessage("image 1 has no class list", () -> ClassBalancedSampler.builder().setClasses(new int[][] {{0}, null}).setBatchSize(2).setSeed(1L).build());
        assertMessage("batch size must be at least 1, got 0", () -> ClassBalancedSampler.shardSizes(0, 4));
        assertMessage("device count must be at least 1, got 0", () -> ClassBalancedSampler.shardSizes(8, 0));
    }
}
