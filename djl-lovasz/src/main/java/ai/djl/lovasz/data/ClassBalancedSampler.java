package ai.djl.lovasz.data;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Class-balanced batches (the original's "equibatch"): batches that cover as many classes as
 * possible, so that a per-batch Lovász loss sees most classes at every step.
 *
 * <p>Each epoch visits every image once, in batches built greedily: a batch repeatedly takes the
 * unused image that adds the most classes the batch does not have yet (ties broken by a seeded
 * shuffle), until it is full; the last batch may be smaller. Epoch e uses the seed {@code seed + e},
 * so runs are reproducible and epochs differ. Building an epoch costs {@code O(N² / batch)} set
 * operations on the per-image class lists.
 */
public class ClassBalancedSampler implements Sampler {

    private final BitSet[] classesOf;
    private final int batchSize;
    private final long seed;
    private int epoch;

    /**
     * Creates the sampler.
     *
     * @param imageClasses for each dataset index, the class ids present in that image (≥ 0)
     * @param batchSize the batch size, ≥ 1
     * @param seed the seed of the tie-breaking shuffle
     */
    public ClassBalancedSampler(int[][] imageClasses, int batchSize, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (imageClasses.length == 0) {
            throw new IllegalArgumentException("no images: imageClasses is empty");
        }
        this.classesOf = new BitSet[imageClasses.length];
        for (int i = 0; i < imageClasses.length; i++) {
            classesOf[i] = new BitSet();
            for (int c : imageClasses[i]) {
                if (c < 0) {
                    throw new IllegalArgumentException(
                            "image " + i + " lists a negative class id " + c + ": " + Arrays.toString(imageClasses[i]));
                }
                classesOf[i].set(c);
            }
        }
        this.batchSize = batchSize;
        this.seed = seed;
    }

    @Override
    public Iterator<List<Long>> sample(RandomAccessDataset dataset) {
        if (dataset.size() != classesOf.length) {
            throw new IllegalArgumentException(
                    "the dataset has " + dataset.size() + " items but the sampler knows " + classesOf.length + " images");
        }
        return epochBatches(epoch++).iterator();
    }

    /**
     * The batches of one epoch.
     *
     * @param epochIndex the epoch (its seed is {@code seed + epochIndex})
     * @return the batches, every index exactly once
     */
    public List<List<Long>> epochBatches(int epochIndex) {
        int n = classesOf.length;
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new Random(seed + epochIndex));
        List<Integer> unused = new ArrayList<>(order);
        List<List<Long>> batches = new ArrayList<>();
        while (!unused.isEmpty()) {
            List<Long> batch = new ArrayList<>(batchSize);
            BitSet covered = new BitSet();
            while (batch.size() < batchSize && !unused.isEmpty()) {
                int best = 0;
                int bestGain = -1;
                for (int j = 0; j < unused.size(); j++) {
                    BitSet added = (BitSet) classesOf[unused.get(j)].clone();
                    added.andNot(covered);
                    int gain = added.cardinality();
                    if (gain > bestGain) {
                        bestGain = gain;
                        best = j;
                    }
                }
                int image = unused.remove(best);
                covered.or(classesOf[image]);
                batch.add((long) image);
            }
            batches.add(batch);
        }
        return batches;
    }

    @Override
    public int getBatchSize() {
        return batchSize;
    }
}
