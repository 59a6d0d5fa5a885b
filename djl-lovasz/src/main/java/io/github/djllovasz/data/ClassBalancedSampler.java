package io.github.djllovasz.data;

import ai.djl.Device;
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
 *
 * <h2>Several devices</h2>
 *
 * <p>When training on k devices, DJL's {@code EasyTrain.trainBatch} calls {@code
 * batch.split(trainer.getDevices(), false)}, which cuts a batch of B images into contiguous
 * pieces of {@code ceil(B/k)} images, one per device, the last devices getting fewer or none (B =
 * 8, k = 4: 2, 2, 2, 2; B = 9: 3, 3, 3, 0; B = 10: 3, 3, 3, 1; see {@link #shardSizes}). The loss
 * is computed on each device's piece alone and the gradients are summed, so a pooled Lovász loss
 * sees one piece, not the batch. The plain greedy fill takes the class-rich images first, so
 * device 0 would get them and the last device the leftovers: on 480 images with 0 to 3 of 10
 * classes each, B = 16 and k = 4, the four pieces cover 9.00, 4.01, 3.89 and 3.62 classes on
 * average.
 *
 * <p>With {@link Builder#optDevices(Device[])} (or {@link Builder#optDeviceCount(int)}) each
 * batch is planned as those k pieces: every pick goes to one piece and takes the image adding the
 * most classes not yet in that piece, the pieces taking turns in snake order (0, 1, …, k−1, k−1,
 * …, 0, 0, 1, …; a full piece is skipped), and the batch lists piece 0's images, then piece 1's,
 * and so on, so that DJL's split hands each device its planned piece. Taking turns spreads the
 * class-rich images over the devices (filling piece 0 completely first would let it take several
 * of them), and the snake order gives no device the first pick every round (on the data above,
 * 5.72, 5.71, 5.66 and 5.67 classes per piece, 5.69 on average instead of 5.13). The remainder
 * batch is planned with its own size. With one device the epochs are exactly those of the plain
 * sampler.
 *
 * <pre>{@code
 * Device[] devices = Engine.getInstance().getDevices(4);
 * ClassBalancedSampler sampler = ClassBalancedSampler.builder()
 *         .setClasses(classesPerImage).setBatchSize(16).setSeed(42L)
 *         .optDevices(devices)                  // the same devices as the trainer's
 *         .build();
 * ArrayDataset dataset = new ArrayDataset.Builder().setData(images).optLabels(masks)
 *         .setSampling(sampler).build();
 * DefaultTrainingConfig config = new DefaultTrainingConfig(loss).optDevices(devices);
 * }</pre>
 *
 * <p>Pass exactly the devices the trainer uses: without {@code optDevices} a {@code
 * DefaultTrainingConfig} takes all of the engine's GPUs, so compare with {@code
 * trainer.getDevices().length}. DJL 0.29's split itself fails (PyTorch and MXNet alike) on a
 * batch with {@code (k−1)·ceil(B/k) > B}, such as B = 5 for k = 4 (pieces 2, 2, 1, 0): pick a
 * batch size and, for the remainder batch, a dataset size that avoid it, or drop the remainder.
 */
public class ClassBalancedSampler implements Sampler {

    private final ClassCoverPlanner planner;
    private final int batchSize;
    private final boolean dropLast;
    private final int devices;
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
        this(classesPerImage, batchSize, seed, dropLast, 1);
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

    private ClassBalancedSampler(
            int[][] classesPerImage, int batchSize, long seed, boolean dropLast, int devices) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (devices < 1) {
            throw new IllegalArgumentException("device count must be at least 1, got " + devices);
        }
        this.planner = dense(classesPerImage);
        this.batchSize = batchSize;
        this.dropLast = dropLast;
        this.devices = devices;
        this.epochs = new Random(seed);
    }

    /**
     * @return a builder; {@link Builder#setClasses}, {@link Builder#setBatchSize} and {@link
     *     Builder#setSeed} are required
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The number of images each device gets when DJL's {@code Batch.split(devices, false)} cuts a
     * batch: contiguous pieces of {@code ceil(B/k)} images, the last devices getting fewer or none
     * ({@code shardSizes(9, 4)} is {@code [3, 3, 3, 0]}, {@code shardSizes(10, 4)} is {@code [3,
     * 3, 3, 1]}). When B &lt; k, DJL makes only B pieces; the devices past them get 0 here.
     *
     * @param batchSize B, the number of images in the batch, at least 1
     * @param devices k, the number of devices, at least 1
     * @return k sizes, summing to B
     */
    public static int[] shardSizes(int batchSize, int devices) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (devices < 1) {
            throw new IllegalArgumentException("device count must be at least 1, got " + devices);
        }
        return ClassCoverPlanner.shardSizes(batchSize, devices);
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

    /** @return the number of devices k each batch is planned for (1 unless set in the builder) */
    public int getDeviceCount() {
        return devices;
    }

    /** The next epoch's batches, without a dataset (what {@link #sample} returns). */
    List<List<Long>> nextEpoch() {
        Random random;
        synchronized (epochs) {
            random = new Random(epochs.nextLong());
        }
        List<List<Long>> batches = planner.plan(batchSize, devices, random);
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

    /** Builds a {@link ClassBalancedSampler}. */
    public static final class Builder {
        private int[][] classesPerImage;
        private int batchSize;
        private Long seed;
        private boolean dropLast;
        private int devices = 1;

        Builder() {}

        /**
         * Sets the classes present in each image (required).
         *
         * @param classesPerImage per dataset index, the class ids in that image (order and repeats
         *     do not matter; an empty list is allowed)
         * @return this builder
         */
        public Builder setClasses(int[][] classesPerImage) {
            this.classesPerImage = classesPerImage;
            return this;
        }

        /**
         * Sets the classes present in each image (required).
         *
         * @param classesPerImage per dataset index, the class ids in that image
         * @return this builder
         */
        public Builder setClasses(List<? extends Collection<Integer>> classesPerImage) {
            this.classesPerImage = toArrays(classesPerImage);
            return this;
        }

        /**
         * Sets the batch size (required), the whole batch before any split across devices.
         *
         * @param batchSize the batch size, at least 1
         * @return this builder
         */
        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sets the seed (required).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder setSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Drops the last batch when it is smaller than the batch size (default: kept).
         *
         * @param dropLast whether to drop it
         * @return this builder
         */
        public Builder optDropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /**
         * Plans each batch for the devices it will be split across (default: one device); pass
         * the array given to {@code DefaultTrainingConfig.optDevices}. Only its length counts.
         *
         * @param devices the trainer's devices, at least one
         * @return this builder
         */
        public Builder optDevices(Device[] devices) {
            if (devices == null || devices.length == 0) {
                throw new IllegalArgumentException(
                        "devices must hold at least one device, got "
                                + (devices == null ? "null" : "an empty array"));
            }
            for (int i = 0; i < devices.length; i++) {
                if (devices[i] == null) {
                    throw new IllegalArgumentException("devices[" + i + "] is null");
                }
            }
            this.devices = devices.length;
            return this;
        }

        /**
         * Plans each batch for k devices (default 1), as {@link #optDevices(Device[])} with k
         * devices.
         *
         * @param devices k, the number of devices the trainer splits each batch across, at least 1
         * @return this builder
         */
        public Builder optDeviceCount(int devices) {
            if (devices < 1) {
                throw new IllegalArgumentException(
                        "device count must be at least 1, got " + devices);
            }
            this.devices = devices;
            return this;
        }

        /** @return the sampler */
        public ClassBalancedSampler build() {
            if (classesPerImage == null) {
                throw new IllegalArgumentException(
                        "setClasses is required: one class list per dataset index");
            }
            if (seed == null) {
                throw new IllegalArgumentException(
                        "setSeed is required: the sampler is deterministic for a seed");
            }
            return new ClassBalancedSampler(classesPerImage, batchSize, seed, dropLast, devices);
        }
    }
}
