package io.github.djllovasz.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The epochs {@link ClassBalancedSampler} plans, without a dataset. */
class ClassBalancedSamplerTest {

    /** 103 images with 0 to 3 classes out of 10 (fixed seed), some without any class. */
    static int[][] randomClasses() {
        Random random = new Random(5);
        int[][] classes = new int[103][];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = random.ints(random.nextInt(4), 0, 10).toArray();
        }
        return classes;
    }

    /** Images each holding one class, {@code counts[c]} images of class c, classes interleaved. */
    static int[][] singleClass(int... counts) {
        List<int[]> images = new ArrayList<>();
        for (int round = 0; images.size() < IntStream.of(counts).sum(); round++) {
            for (int c = 0; c < counts.length; c++) {
                if (round < counts[c]) {
                    images.add(new int[] {c});
                }
            }
        }
        return images.toArray(new int[0][]);
    }

    /** The number of distinct classes in each batch. */
    static List<Integer> coverage(List<List<Long>> batches, int[][] classes) {
        List<Integer> covered = new ArrayList<>();
        for (List<Long> batch : batches) {
            Set<Integer> union = new HashSet<>();
            for (long index : batch) {
                for (int c : classes[(int) index]) {
                    union.add(c);
                }
            }
            covered.add(union.size());
        }
        return covered;
    }

    static List<Long> sortedIndices(List<List<Long>> batches) {
        return batches.stream().flatMap(List::stream).sorted().collect(Collectors.toList());
    }

    static List<Long> range(int n) {
        return IntStream.range(0, n).mapToObj(i -> (long) i).collect(Collectors.toList());
    }

    @Test
    void everyIndexAppearsExactlyOncePerEpoch() {
        ClassBalancedSampler sampler = new ClassBalancedSampler(randomClasses(), 8, 11L);
        assertEquals(8, sampler.getBatchSize());
        for (int epoch = 0; epoch < 3; epoch++) {
            List<List<Long>> batches = sampler.nextEpoch();
            assertEquals(13, batches.size(), "ceil(103 / 8) batches");
            assertEquals(range(103), sortedIndices(batches));
            List<Integer> sizes = batches.stream().map(List::size).sorted().collect(Collectors.toList());
            assertEquals(7, sizes.get(0), "one remainder batch of 103 − 12·8 = 7");
            assertEquals(Collections.nCopies(12, 8), sizes.subList(1, 13));
        }
    }

    @Test
    void dropLastDropsOnlyTheRemainder() {
        ClassBalancedSampler sampler = new ClassBalancedSampler(randomClasses(), 8, 11L, true);
        List<List<Long>> batches = sampler.nextEpoch();
        assertEquals(12, batches.size());
        assertTrue(batches.stream().allMatch(b -> b.size() == 8));
        List<Long> indices = sortedIndices(batches);
        assertEquals(96, new HashSet<>(indices).size(), "96 distinct indices, none repeated");
    }

    @Test
    void singleClassImagesFillEveryBatchWithAllClasses() {
        // 16 images, 4 of each of 4 classes, batches of 4: the optimum covers 4 classes per batch.
        int[][] classes = singleClass(4, 4, 4, 4);
        ClassBalancedSampler sampler = new ClassBalancedSampler(classes, 4, 3L);
        for (int epoch = 0; epoch < 5; epoch++) {
            assertEquals(List.of(4, 4, 4, 4), coverage(sampler.nextEpoch(), classes));
        }
        // Random batches of the same data cover 4·(1 − C(12,4)/C(16,4)) = 2.912 classes on average.
        Random random = new Random(1);
        List<Long> order = range(16);
        long covered = 0;
        int batches = 0;
        for (int epoch = 0; epoch < 500; epoch++) {
            Collections.shuffle(order, random);
            List<List<Long>> split = new ArrayList<>();
            for (int b = 0; b < 16; b += 4) {
                split.add(order.subList(b, b + 4));
            }
            for (int c : coverage(split, classes)) {
                covered += c;
                batches++;
            }
        }
        double randomMean = (double) covered / batches;
        assertEquals(4.0 * (1 - 495.0 / 1820), randomMean, 0.06);
        assertTrue(randomMean < 3.0, "random batching covers fewer classes: " + randomMean);
    }

    @Test
    void unevenClassesReachTheOptimalTotalCoverage() {
        // Counts 7, 3, 3, 3 in 4 batches of 4: at most Σ_c min(count_c, 4) = 4 + 3 + 3 + 3 = 13
        // (batch, class) pairs; greedy reaches it with three full batches and one of class 0 only.
        int[][] classes = singleClass(7, 3, 3, 3);
        for (long seed = 0; seed < 10; seed++) {
            List<Integer> covered = coverage(new ClassBalancedSampler(classes, 4, seed).nextEpoch(), classes);
            Collections.sort(covered);
            assertEquals(List.of(1, 4, 4, 4), covered, "seed " + seed);
        }
    }

    @Test
    void greedyPrefersImagesAddingMoreClasses() {
        // A = {0,1,2}, B = {3}, C = {0}, D = {1}, batches of 2: greedy takes A (gain 3), then B
        // (gain 1, C and D add nothing): coverage 4 + 2 = 6, the optimum ({A,C},{B,D} gives 5).
        int[][] classes = {{0, 1, 2}, {3}, {0}, {1}};
        for (long seed = 0; seed < 10; seed++) {
            Set<Set<Long>> batches = new HashSet<>();
            for (List<Long> batch : new ClassBalancedSampler(classes, 2, seed).nextEpoch()) {
                batches.add(new HashSet<>(batch));
            }
            assertEquals(Set.of(Set.of(0L, 1L), Set.of(2L, 3L)), batches, "seed " + seed);
        }
    }

    @Test
    void classSetsAndArraysGiveTheSameEpochs() {
        int[][] arrays = {{2, 0, 2}, {}, {5}, {0}, {5, 2}};
        List<Set<Integer>> sets = List.of(Set.of(0, 2), Set.of(), Set.of(5), Set.of(0), Set.of(2, 5));
        assertEquals(
                new ClassBalancedSampler(arrays, 2, 9L).nextEpoch(),
                new ClassBalancedSampler(sets, 2, 9L).nextEpoch());
    }

    @Test
    void deterministicForASeed() {
        int[][] classes = randomClasses();
        ClassBalancedSampler first = new ClassBalancedSampler(classes, 8, 42L);
        ClassBalancedSampler second = new ClassBalancedSampler(classes, 8, 42L);
        List<List<Long>> epoch0 = first.nextEpoch();
        assertEquals(epoch0, second.nextEpoch());
        List<List<Long>> epoch1 = first.nextEpoch();
        assertEquals(epoch1, second.nextEpoch());
        assertNotEquals(epoch0, epoch1, "successive epochs differ");
        assertNotEquals(epoch0, new ClassBalancedSampler(classes, 8, 43L).nextEpoch());
    }

    @Test
    void badArgumentsAreRejected() {
        assertMessage("batch size must be at least 1, got 0", () -> new ClassBalancedSampler(new int[][] {{0}}, 0, 1L));
        assertMessage("got none", () -> new ClassBalancedSampler(new int[0][], 2, 1L));
        assertMessage("image 1 has no class list", () -> new ClassBalancedSampler(new int[][] {{0}, null}, 2, 1L));
        assertMessage("image 1 lists the negative class id -3", () -> new ClassBalancedSampler(new int[][] {{0}, {1, -3}}, 2, 1L));
        List<Set<Integer>> withNull = new ArrayList<>();
        withNull.add(Set.of(1));
        withNull.add(null);
        assertMessage("image 1 has no class list", () -> new ClassBalancedSampler(withNull, 2, 1L));
    }

    static void assertMessage(String expected, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(expected), () -> "'" + expected + "' not in: " + e.getMessage());
    }
}
