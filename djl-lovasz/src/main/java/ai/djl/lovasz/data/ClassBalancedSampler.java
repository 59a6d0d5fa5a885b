package ai.djl.lovasz.data;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A {@link Sampler} whose batches cover as many classes as possible ("equibatch"), so that every
 * batch shows the per-class Lovász loss many classes at once.
 *
 * <p>Given the classes present in each image, every epoch fills one batch at a time greedily:
 *
 * <pre>
 *   repeat batchSize times:  take an unused image i maximising |classes(i) \ covered(batch)|
 *                            (ties: uniformly at random), then covered ∪= classes(i)
 * </pre>
 *
 * <p>Each image is used exactly once per epoch; the last batch holds the remainder (dropped with
 * {@code dropLast}); the batches are returned in random order. Deterministic for a seed: the
 * e-th call of {@link #sample} on a sampler depends only on the seed, the arguments and e.
 *
 * <pre>{@code
 * Sampler sampler = new ClassBalancedSampler(classesPerImage, 8, 42L);
 * ArrayDataset dataset = new ArrayDataset.Builder().setData(images).optLabels(masks)
 *         .setSampling(sampler).build();
 * }</pre>
 */
public class ClassBalancedSampler implements Sampler {

    private final ClassCoverPlanner planner;
    private final int batchSize;
    private final boolean dropLast;
    private final Random epochs;

    /**
     * Creates a sampler that keeps the last, incomplete batch.
     *
     * @param classesPerImage per dataset index, the class ids in that image (order and repeats do
     *     not matter; an empty list is allowed)
     * @param batchSize the batch size, at least 1
     * @param seed the seed
     */
    public ClassBalancedSampler(int[][] classesPerImage, int batchSize, long seed) {
        this(classesPerImage, batchSize, seed, false);
    }

    /**
     * Creates a sampler.
     *
     * @param classesPerImage per dataset index, the class ids in that image
     * @param batchSize the batch size, at least 1
     * @param seed the seed
     * @param dropLast whether to drop the last batch when it is smaller than {@code batchSize}
     */
    public ClassBalancedSampler(int[][] classesPerImage, int batchSize, long seed, boolean dropLast) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.planner = dense(classesPerImage);
        this.batchSize = batchSize;
        this.dropLast = dropLast;
        this.epochs = new Random(seed);
    }

    /**
     * Creates a sampler from class sets that keeps the last, incomplete batch.
     *
     * @param classesPerImage per dataset index, the class ids in that image
     * @param batchSize the batch size, at least 1
     * @param seed the seed
     */
    public ClassBalancedSampler(
            List<? extends Collection<Integer>> classesPerImage, int batchSize, long seed) {
        this(classesPerImage, batchSize, seed, false);
    }

    /**
     * Creates a sampler from class sets.
     *
     * @param classesPerImage per dataset index, the class ids in that image
     * @param batchSize the batch size, at least 1
     * @param seed the seed
     * @param dropLast whether to drop the last batch when it is smaller than {@code batchSize}
     */
    public ClassBalancedSampler(
            List<? extends Collection<Integer>> classesPerImage,
            int batchSize,
            long seed,
            boolean dropLast) {
        this(toArrays(classesPerImage), batchSize, seed, dropLast);
    }

    /**
     * Plans the next epoch.
     *
     * @param dataset the dataset; its size must equal the number of class lists
     * @return the batches of dataset indices
     */
    @Override
    public Iterator<List<Long>> sample(RandomAccessDataset dataset) {
        if (dataset.size() != planner.size()) {
            throw new IllegalArgumentException(
                    "the sampler holds class lists for " + planner.size()
                            + " images but the dataset has " + dataset.size()
                            + " (one class list per dataset index)");
        }
        return nextEpoch().iterator();
    }

    /** @return the batch size */
    @Override
    public int getBatchSize() {
        return batchSize;
    }

    /** @return whether an incomplete last batch is dropped */
    public boolean isDropLast() {
        return dropLast;
    }

    /** The next epoch's batches, without a dataset (what {@link #sample} returns). */
    List<List<Long>> nextEpoch() {
        Random random;
        synchronized (epochs) {
            random = new Random(epochs.nextLong());
        }
        List<List<Long>> batches = planner.plan(batchSize, random);
        List<Long> last = batches.get(batches.size() - 1);
        if (dropLast && last.size() < batchSize) {
            batches.remove(batches.size() - 1);
        }
        Collections.shuffle(batches, random);
        return batches;
    }

    private static ClassCoverPlanner dense(int[][] classesPerImage) {
        if (classesPerImage == null || classesPerImage.length == 0) {
            throw new IllegalArgumentException(
                    "classesPerImage must hold one class list per dataset index, got none");
        }
        Map<Integer, Integer> ids = new TreeMap<>();
        for (int image = 0; image < classesPerImage.length; image++) {
            if (classesPerImage[image] == null) {
                throw new IllegalArgumentException(
                        "image " + image + " has no class list (null): use an empty one");
            }
            for (int id : classesPerImage[image]) {
                if (id < 0) {
                    throw new IllegalArgumentException(
                            "image " + image + " lists the negative class id " + id);
                }
                ids.put(id, 0);
            }
        }
        int next = 0;
        for (Map.Entry<Integer, Integer> id : ids.entrySet()) {
            id.setValue(next++);
        }
        int[][] denseClasses = new int[classesPerImage.length][];
        for (int image = 0; image < classesPerImage.length; image++) {
            denseClasses[image] =
                    Arrays.stream(classesPerImage[image]).map(ids::get).sorted().distinct().toArray();
        }
        return new ClassCoverPlanner(denseClasses, ids.size());
    }

    private static int[][] toArrays(List<? extends Collection<Integer>> classesPerImage) {
        if (classesPerImage == null) {
            throw new IllegalArgumentException(
                    "classesPerImage must hold one class list per dataset index, got null");
        }
        List<int[]> arrays = new ArrayList<>(classesPerImage.size());
        for (int image = 0; image < classesPerImage.size(); image++) {
            Collection<Integer> classes = classesPerImage.get(image);
            if (classes == null) {
                throw new IllegalArgumentException(
                        "image " + image + " has no class list (null): use an empty one");
            }
            int[] ids = new int[classes.size()];
            int i = 0;
            for (Integer id : classes) {
                if (id == null) {
                    throw new IllegalArgumentException("image " + image + " lists a null class id");
                }
                ids[i++] = id;
            }
            arrays.add(ids);
        }
        return arrays.toArray(new int[0][]);
    }
}
