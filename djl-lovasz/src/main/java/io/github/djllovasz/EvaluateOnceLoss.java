package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link Loss} that DJL's training loop evaluates once per step and device shard instead of
 * twice.
 *
 * <p>Why it exists: DJL's {@code Trainer} adds its loss to its evaluators, so after the gradient
 * step {@code EvaluatorTrainingListener} calls {@link Loss#updateAccumulators}, whose default
 * implementation calls {@code evaluate} again, forward only, on the same labels and predictions,
 * just to display the training loss. For the Lovász losses the forward pass (the sort) is most of
 * the cost, so that second call makes every step about 1.8 times as expensive.
 *
 * <p>Here {@link #evaluate} remembers the value it returns, keyed by the very arrays it was given
 * (by identity, not by device: several shards may share a device), and {@link
 * #updateAccumulators} adds that value when it is called with the same arrays, so the logged
 * training loss is the mean of the values the gradient was computed from. With other arrays (a
 * validation batch, a value already closed) it computes the loss afresh and closes it. Rules:
 *
 * <ul>
 *   <li>the remembered values are never closed here: DJL closes them with the batch, and entries
 *       whose value is closed are dropped at the next {@code evaluate};
 *   <li>entries are written and read under one lock, so the shards of DJL's executor path cannot
 *       pair one shard's value with another shard's predictions;
 *   <li>at most 64 values are remembered (oldest dropped first);
 *   <li>{@code evaluate} adds no device synchronisation; the value is read on the host only in
 *       {@code updateAccumulators}, as DJL does.
 * </ul>
 *
 * <p>Accumulators keep sums in double precision: {@code getAccumulator(key)} is {@code Σ v / n}
 * over the {@code n} updates since {@code addAccumulator} or {@code resetAccumulator} (one per
 * shard per step, as in DJL).
 *
 * <p>Subclasses implement {@link #computeLoss}; every loss of this library extends this class.
 */
public abstract class EvaluateOnceLoss extends Loss {

    /** How many stepped values are remembered at most (one per device shard in flight). */
    static final int CAPACITY = 64;

    private final SteppedValues stepped = new SteppedValues(CAPACITY);
    private final Map<String, double[]> sums = new ConcurrentHashMap<>();

    /**
     * Creates the loss.
     *
     * @param name the name shown in training logs
     */
    protected EvaluateOnceLoss(String name) {
        super(name);
    }

    /**
     * Computes the loss of one batch (or device shard) without looking at remembered values.
     *
     * @param labels the labels
     * @param predictions the predictions
     * @return the loss, a scalar on the predictions' manager
     */
    protected abstract NDArray computeLoss(NDList labels, NDList predictions);

    /**
     * {@inheritDoc}
     *
     * <p>The value is remembered for {@link #updateAccumulators} on the same arrays.
     */
    @Override
    public final NDArray evaluate(NDList labels, NDList predictions) {
        NDArray value = computeLoss(labels, predictions);
        stepped.put(labels, predictions, value);
        return value;
    }

    /**
     * Computes the loss of single arrays, in DJL's argument order: {@code evaluate(new
     * NDList(labels), new NDList(predictions))}.
     *
     * @param labels the labels
     * @param predictions the predictions
     * @return the loss, a scalar on the predictions' manager
     * @throws IllegalArgumentException for shapes, types or labels that do not fit
     */
    public final NDArray evaluate(NDArray labels, NDArray predictions) {
        return evaluate(new NDList(labels), new NDList(predictions));
    }

    /** {@inheritDoc} */
    @Override
    public void addAccumulator(String key) {
        sums.put(key, new double[2]);
        totalInstances.put(key, 0L);
    }

    /** {@inheritDoc} */
    @Override
    public void updateAccumulator(String key, NDList labels, NDList predictions) {
        updateAccumulators(new String[] {key}, labels, predictions);
    }

    /**
     * Adds the loss of one batch (or shard) to each accumulator: the value {@link #evaluate}
     * returned for these very arrays if it is still open, else a fresh, forward-only evaluation.
     *
     * @param keys the accumulators
     * @param labels the labels
     * @param predictions the predictions
     */
    @Override
    public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
        NDArray remembered = stepped.find(labels, predictions);
        double value;
        if (remembered != null) {
            value = toDouble(remembered);
        } else {
            try (NDArray fresh = computeLoss(labels, predictions)) {
                value = toDouble(fresh);
            }
        }
        for (String key : keys) {
            double[] sum = accumulator(key);
            synchronized (sum) {
                sum[0] += value;
                sum[1] += 1;
            }
            totalInstances.merge(key, 1L, Long::sum);
        }
    }

    /** {@inheritDoc} */
    @Override
    public void resetAccumulator(String key) {
        double[] sum = accumulator(key);
        synchronized (sum) {
            sum[0] = 0;
            sum[1] = 0;
        }
        totalInstances.put(key, 0L);
    }

    /**
     * {@inheritDoc}
     *
     * @return the mean of the values added since the accumulator was added or reset, NaN if none
     */
    @Override
    public float getAccumulator(String key) {
        double[] sum = accumulator(key);
        synchronized (sum) {
            return sum[1] == 0 ? Float.NaN : (float) (sum[0] / sum[1]);
        }
    }

    private double[] accumulator(String key) {
        double[] sum = sums.get(key);
        if (sum == null) {
            throw new IllegalArgumentException(
                    "no accumulator named '" + key + "' in loss " + getName()
                            + ": call addAccumulator first");
        }
        return sum;
    }

    /**
     * The sum of a loss value as a double on the host (DJL sums the value too).
     *
     * @param value the loss
     * @return its sum
     */
    static double toDouble(NDArray value) {
        DataType type = value.getDataType();
        if (value.getShape().isScalar() && type == DataType.FLOAT64) {
            return value.getDouble();
        }
        if (value.getShape().isScalar() && type == DataType.FLOAT32) {
            return value.getFloat();
        }
        try (NDArray sum = value.sum();
                NDArray wide = sum.toType(DataType.FLOAT64, false)) {
            return wide.getDouble();
        }
    }
}
