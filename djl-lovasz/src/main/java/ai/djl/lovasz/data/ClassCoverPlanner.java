package ai.djl.lovasz.data;

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
 * {@code O(G·k)} for G distinct class sets of at most k classes, an epoch {@code O(N·G·k)}.
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
     * Plans one epoch: every image exactly once, in batches of {@code batchSize} (the last one
     * holds the remainder), each filled by repeatedly taking an image that adds the most classes
     * not yet in the batch, ties broken uniformly at random over the tied images.
     *
     * @param batchSize the batch size
     * @param random the source of the tie-breaks and of the order within class sets
     * @return the batches in the order they were filled (the remainder last)
     */
    List<List<Long>> plan(int batchSize, Random random) {
        int groups = groupMembers.length;
        int[][] pools = new int[groups][];
        int[] left = new int[groups];
        for (int g = 0; g < groups; g++) {
            pools[g] = shuffled(groupMembers[g], random);
            left[g] = pools[g].length;
        }
        boolean[] covered = new boolean[numClasses];
        List<List<Long>> batches = new ArrayList<>();
        for (int remaining = size; remaining > 0; ) {
            int take = Math.min(batchSize, remaining);
            List<Long> batch = new ArrayList<>(take);
            Arrays.fill(covered, false);
            for (int step = 0; step < take; step++) {
                int g = bestGroup(left, covered, random);
                for (int c : groupClasses[g]) {
                    covered[c] = true;
                }
                batch.add((long) pools[g][--left[g]]);
            }
            batches.add(batch);
            remaining -= take;
        }
        return batches;
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
