package ai.djl.lovasz.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.evaluator.Evaluator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mean intersection over union of a semantic segmentation, accumulated over batches: a DJL
 * {@link Evaluator} for {@code DefaultTrainingConfig.addEvaluator}.
 *
 * <p>Each pixel is predicted as {@code argmax_c x_i(c)} over the class axis of the predictions;
 * pixels whose label is the ignore index are not counted. The counts of every update are added to
 * a C×C {@link ConfusionMatrix} per accumulator key (exact {@code long} counts on the host), and
 *
 * <pre>
 *   IoU_c = TP_c / (TP_c + FP_c + FN_c)
 *   mIoU  = mean of IoU_c over the present classes, those with TP_c + FP_c + FN_c > 0
 * </pre>
 *
 * <p>A class is present if it occurs in the counted ground truth or in the prediction of a
 * counted pixel; a class in neither is left out of the mean (a class only predicted counts with
 * IoU 0). With no counted pixel the value is NaN. IoU is pooled over all accumulated pixels, not
 * averaged over batches or images.
 *
 * <pre>{@code
 * MeanIoU miou = MeanIoU.builder().setNumClasses(21).optIgnoreIndex(255).build();
 * DefaultTrainingConfig config = new DefaultTrainingConfig(loss).addEvaluator(miou);
 * }</pre>
 */
public class MeanIoU extends Evaluator {

    private final int numClasses;
    private final Integer ignoreIndex;
    private final int classAxis;
    private final Map<String, ConfusionMatrix> accumulators = new ConcurrentHashMap<>();

    /**
     * Creates an evaluator named "mIoU" with class axis 1 and no ignore index.
     *
     * @param numClasses the number of classes C, at least 2
     */
    public MeanIoU(int numClasses) {
        this(builder().setNumClasses(numClasses));
    }

    MeanIoU(Builder builder) {
        super(builder.name);
        if (builder.numClasses < 2) {
            throw new IllegalArgumentException(
                    "numClasses must be at least 2 (one score per class), got " + builder.numClasses);
        }
        this.numClasses = builder.numClasses;
        this.ignoreIndex = builder.ignoreIndex;
        this.classAxis = builder.classAxis;
    }

    /** @return a builder; {@link Builder#setNumClasses} is required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Computes the mean IoU of one batch alone (the accumulators are not touched).
     *
     * @param labels the class ids in the first array
     * @param predictions the scores {@code [B, C, d1, ...]} in the first array
     * @return the batch's mIoU, a float32 scalar on the predictions' manager (NaN if nothing counts)
     * @throws IllegalArgumentException for shapes or labels that do not fit
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray scores = predictions.head();
        double value = ConfusionMatrix.of(numClasses, count(labels, predictions)).meanIoU();
        return scores.getManager().create((float) value);
    }

    /**
     * Adds an empty accumulator, or empties an existing one.
     *
     * @param key the accumulator's name
     */
    @Override
    public void addAccumulator(String key) {
        accumulators.put(key, new ConfusionMatrix(numClasses));
        totalInstances.put(key, 0L);
    }

    /**
     * Counts a batch into one accumulator.
     *
     * @param key the accumulator's name
     * @param labels the class ids in the first array
     * @param predictions the scores in the first array
     */
    @Override
    public void updateAccumulator(String key, NDList labels, NDList predictions) {
        updateAccumulators(new String[] {key}, labels, predictions);
    }

    /**
     * Counts a batch once and adds it to each accumulator.
     *
     * @param keys the accumulators' names
     * @param labels the class ids in the first array
     * @param predictions the scores in the first array
     */
    @Override
    public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
        for (String key : keys) {
            accumulator(key);
        }
        long[] counts = count(labels, predictions);
        long pixels = 0;
        for (long n : counts) {
            pixels += n;
        }
        for (String key : keys) {
            accumulator(key).add(counts);
            totalInstances.merge(key, pixels, Long::sum);
        }
    }

    /**
     * Sets an accumulator's counts to zero.
     *
     * @param key the accumulator's name
     */
    @Override
    public void resetAccumulator(String key) {
        accumulator(key).reset();
        totalInstances.put(key, 0L);
    }

    /**
     * Returns the mean IoU of everything accumulated under a key.
     *
     * @param key the accumulator's name
     * @return the mIoU over present classes, NaN if nothing was counted
     */
    @Override
    public float getAccumulator(String key) {
        return (float) accumulator(key).meanIoU();
    }

    /**
     * Returns the per-class IoU accumulated under a key.
     *
     * @param key the accumulator's name
     * @return {@code IoU_c} per class, NaN for classes not present
     */
    public double[] getClassIoU(String key) {
        return accumulator(key).classIoU();
    }

    /**
     * Returns which classes are present (counted in the mean) under a key.
     *
     * @param key the accumulator's name
     * @return per class, {@code TP + FP + FN > 0}
     */
    public boolean[] getPresentClasses(String key) {
        return accumulator(key).presentClasses();
    }

    /**
     * Returns a copy of the counts accumulated under a key.
     *
     * @param key the accumulator's name
     * @return {@code [truth][predicted]} pixel counts
     */
    public long[][] getConfusionMatrix(String key) {
        return accumulator(key).toArray();
    }

    /** @return the number of classes C */
    public int getNumClasses() {
        return numClasses;
    }

    /** @return the ignored label, or {@code null} */
    public Integer getIgnoreIndex() {
        return ignoreIndex;
    }

    /** @return the class axis of the predictions */
    public int getClassAxis() {
        return classAxis;
    }

    @Override
    public String toString() {
        return getName() + "{numClasses=" + numClasses + ", ignoreIndex=" + ignoreIndex
                + ", classAxis=" + classAxis + "}";
    }

    private long[] count(NDList labels, NDList predictions) {
        return ConfusionCounter.count(
                predictions.head(), labels.head(), numClasses, classAxis, ignoreIndex);
    }

    private ConfusionMatrix accumulator(String key) {
        ConfusionMatrix matrix = accumulators.get(key);
        if (matrix == null) {
            throw new IllegalArgumentException(
                    "no accumulator named '" + key + "': call addAccumulator first");
        }
        return matrix;
    }

    /** Builds a {@link MeanIoU}. */
    public static final class Builder {
        private String name = "mIoU";
        private int numClasses;
        private Integer ignoreIndex;
        private int classAxis = 1;

        Builder() {}

        /**
         * Sets the number of classes C (required, at least 2).
         *
         * @param numClasses C, the size of the class axis of the predictions
         * @return this builder
         */
        public Builder setNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /**
         * Sets the name shown in training logs (default "mIoU").
         *
         * @param name the name
         * @return this builder
         */
        public Builder optName(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Leaves pixels with this label uncounted (default: none). It may equal a real class id.
         *
         * @param ignoreIndex the label to ignore
         * @return this builder
         */
        public Builder optIgnoreIndex(int ignoreIndex) {
            this.ignoreIndex = ignoreIndex;
            return this;
        }

        /**
         * Sets the class axis of the predictions (default 1; -1 for channels-last).
         *
         * @param classAxis the axis, negative counting from the end; never the batch axis 0
         * @return this builder
         */
        public Builder optClassAxis(int classAxis) {
            this.classAxis = classAxis;
            return this;
        }

        /** @return the evaluator */
        public MeanIoU build() {
            return new MeanIoU(this);
        }
    }
}
