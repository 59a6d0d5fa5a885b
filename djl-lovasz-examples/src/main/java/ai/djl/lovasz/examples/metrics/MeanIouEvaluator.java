package ai.djl.lovasz.examples.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.evaluator.Evaluator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A DJL {@link Evaluator} of mean IoU for segmentation, so that the training progress bar and
 * logs show it: predictions are logits {@code [B, C, d1, ...]} (the arg-max over axis 1 is the
 * predicted class), labels class ids {@code [B, d1, ...]} or {@code [B, 1, d1, ...]}. Each
 * accumulator counts intersections and unions over all batches since its reset, so the value is
 * the dataset mIoU of those batches (not a mean of per-batch values).
 */
public class MeanIouEvaluator extends Evaluator {

    private final int classes;
    private final Integer ignoreIndex;
    private final Map<String, IouCounts> accumulators = new ConcurrentHashMap<>();

    /**
     * Creates the evaluator.
     *
     * @param name the name shown in logs
     * @param classes the number of classes
     * @param ignoreIndex the ignored label, or {@code null}
     */
    public MeanIouEvaluator(String name, int classes, Integer ignoreIndex) {
        super(name);
        this.classes = classes;
        this.ignoreIndex = ignoreIndex;
    }

    /**
     * Counts one batch.
     *
     * @param labels the labels
     * @param predictions the logits
     * @return the counts of this batch
     */
    public IouCounts count(NDList labels, NDList predictions) {
        return new IouCounts(classes, ignoreIndex)
                .add(predictedClasses(predictions.head()), labelIds(labels.head()));
    }

    /**
     * The arg-max class of every pixel.
     *
     * @param logits {@code [B, C, d1, ...]}
     * @return the class ids, row-major {@code [B, d1, ...]}
     */
    public static int[] predictedClasses(NDArray logits) {
        try (NDArray argMax = logits.argMax(1);
                NDArray ids = argMax.toType(DataType.INT32, false)) {
            return ids.toIntArray();
        }
    }

    /**
     * Labels as Java ints.
     *
     * @param labels integer or float class ids
     * @return the ids, row-major
     */
    public static int[] labelIds(NDArray labels) {
        if (labels.getDataType() == DataType.INT32) {
            return labels.toIntArray();
        }
        try (NDArray ids = labels.toType(DataType.INT32, false)) {
            return ids.toIntArray();
        }
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        double miou = count(labels, predictions).meanIou();
        return predictions.head().getManager().create((float) miou);
    }

    /** {@inheritDoc} */
    @Override
    public void addAccumulator(String key) {
        accumulators.put(key, new IouCounts(classes, ignoreIndex));
    }

    /** Counts the batch once and adds it to every named accumulator. */
    @Override
    public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
        IouCounts batch = count(labels, predictions);
        for (String key : keys) {
            accumulators.computeIfAbsent(key, k -> new IouCounts(classes, ignoreIndex)).add(batch);
        }
    }

    /** {@inheritDoc} */
    @Override
    public void updateAccumulator(String key, NDList labels, NDList predictions) {
        updateAccumulators(new String[] {key}, labels, predictions);
    }

    /** {@inheritDoc} */
    @Override
    public void resetAccumulator(String key) {
        accumulators.put(key, new IouCounts(classes, ignoreIndex));
    }

    /** {@inheritDoc} */
    @Override
    public float getAccumulator(String key) {
        IouCounts counts = accumulators.get(key);
        if (counts == null) {
            throw new IllegalArgumentException("no accumulator " + key);
        }
        return (float) counts.meanIou();
    }
}
