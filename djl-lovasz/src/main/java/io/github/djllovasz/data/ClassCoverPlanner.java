package io.github.djllovasz.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The greedy class cover behind {@link ClassBalancedSampler}, on plain arrays.
 *
 * <p>Images with the same class set are interchangeable, so they are grouped: one step costs
 * {@code O(G·c)} for G distinct class sets of at most c classes, an epoch {@code O(N·G·c)},
 * whatever the number of devices.
 */
final class ClassCoverPlanner {

    private final int numClasses;
    private final int[][] groupClasses;
    private final int[][] groupMembers;
    private final int size;

    /**
     * Groups images by class set.
     *
     * @param denseClasses per image, sorted distinct class ids in {@code [0, numClasses)}
     * @param numClasses the number of distinct class ids
     */
    ClassCoverPlanner(int[][] denseClasses, int numClasses) {
        Map<List<Integer>, List<Integer>> groups = new LinkedHashMap<>();
        for (int image = 0; image < denseClasses.length; image++) {
            List<Integer> key = new ArrayList<>(denseClasses[image].length);
            for (int c : denseClasses[image]) {
                key.add(c);
            }
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(image);
        }
        this.numClasses = numClasses;
        this.groupClasses = new int[groups.size()][];
        this.groupMembers = new int[groups.size()][];
        int g = 0;
        for (Map.Entry<List<Integer>, List<Integer>> group : groups.entrySet()) {
            groupClasses[g] = group.getKey().stream().mapToInt(Integer::intValue).toArray();
            groupMembers[g] = group.getValue().stream().mapToInt(Integer::intValue).toArray();
            g++;
        }
        this.size = denseClasses.length;
    }

    /** @return the number of images */
    int size() {
        return size;
    }

    /**
     * Plans one epoch for one device: {@link #plan(int, int, Random)} with one shard per batch.
     *
     * @param batchSize the batch size
     * @param random the source of the tie-breaks and of the order within class sets
     * @return the batches in the order they were filled (the remainder last)
     */
    List<List<Long>> plan(int batchSize, Random random) {
        return plan(batchSize, 1, random);
    }

    /**
     * Plans one epoch: every image exactly once, in batches of {@code batchSize} (the last one
     * holds the remainder). Each batch of B images is cut into the shards {@link
     * #shardSizes}{@code (B, devices)}, and the shards are filled in snake order (0, 1, …, k−1,
     * then k−1, …, 0, and so on; a full shard is skipped), each pick taking an image that adds the
     * most classes not yet in <em>that shard</em>, ties broken uniformly at random over the tied
     * images. The batch lists shard 0's images, then shard 1's, and so on. With one device this
     * is the plain greedy fill of the whole batch.
     *
     * @param batchSize the batch size
     * @param devices the number of devices k the batch is split across, at least 1
     * @param random the source of the tie-breaks and of the order within class sets
     * @return the batches in the order they were filled (the remainder last)
     */
    List<List<Long>> plan(int batchSize, int devices, Random random) {
        int groups = groupMembers.length;
        int[][] pools = new int[groups][];
        int[] left = new int[groups];
        for (int g = 0; g < groups; g++) {
            pools[g] = shuffled(groupMembers[g], random);
            left[g] = pools[g].length;
        }
        // At most min(k, B) shards are non-empty; the devices past them get nothing.
        int shards = Math.min(devices, batchSize);
        boolean[][] covered = new boolean[shards][numClasses];
        List<List<Long>> batches = new ArrayList<>();
        for (int remaining = size; remaining > 0; ) {
            int take = Math.min(batchSize, remaining);
            int[] sizes = shardSizes(take, Math.min(shards, take));
            List<List<Long>> parts = new ArrayList<>(sizes.length);
            for (int s = 0; s < sizes.length; s++) {
                parts.add(new ArrayList<>(sizes[s]));
                Arrays.fill(covered[s], false);
            }
            for (int round = 0; round < sizes[0]; round++) {
                for (int turn = 0; turn < sizes.length; turn++) {
                    int s = round % 2 == 0 ? turn : sizes.length - 1 - turn;
                    if (parts.get(s).size() == sizes[s]) {
                        continue;
                    }
                    int g = bestGroup(left, covered[s], random);
                    for (int c : groupClasses[g]) {
                        covered[s][c] = true;
                    }
                    parts.get(s).add((long) pools[g][--left[g]]);
                }
            }
            List<Long> batch = new ArrayList<>(take);
            for (List<Long> part : parts) {
                batch.addAll(part);
            }
            batches.add(batch);
            remaining -= take;
        }
        return batches;
    }

    /**
     * The sizes of the contiguous pieces DJL's {@code Batch.split(devices, false)} cuts a batch
     * into: {@code ceil(B/k)} images per device, the last devices fewer or none.
     *
     * @param batchSize B, at least 1
     * @param devices k, at least 1
     * @return k sizes summing to B
     */
    static int[] shardSizes(int batchSize, int devices) {
        int step = (batchSize - 1) / devices + 1;
        int[] sizes = new int[devices];
        for (int s = 0; s < devices; s++) {
            sizes[s] = (int) Math.max(0, Math.min(step, batchSize - (long) s * step));
        }
        return sizes;
    }

    /** The group with the largest gain, each tied image equally likely (weighted reservoir). */
    private int bestGroup(int[] left, boolean[] covered, Random random) {
        int best = -1;
        int bestGain = -1;
        int tiedImages = 0;
        for (int g = 0; g < left.length; g++) {
            if (left[g] == 0) {
                continue;
            }
            int gain = 0;
            for (int c : groupClasses[g]) {
                if (!covered[c]) {
                    gain++;
                }
            }
            if (gain > bestGain) {
                best = g;
                bestGain = gain;
                tiedImages = left[g];
            } else if (gain == bestGain) {
                tiedImages += left[g];
                if (random.nextInt(tiedImages) < left[g]) {
                    best = g;
                }
            }
        }
        return best;
    }

    private static int[] shuffled(int[] values, Random random) {
        int[] copy = values.clone();
        for (int i = copy.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = copy[i];
            copy[i] = copy[j];
            copy[j] = tmp;
        }
        return copy;
    }
}
