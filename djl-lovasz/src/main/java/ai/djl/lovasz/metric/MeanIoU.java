package ai.djl.lovasz.metric;

import ai.djl.lovasz.internal.InputChecks;
import ai.djl.lovasz.internal.Scoped;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.evaluator.Evaluator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mean intersection over union for semantic segmentation, accumulated over batches as a confusion
 * matrix {@code M[t][p]} (pixels of true class t predicted as p, ignored pixels left out).
 *
 * <pre>
 *   IoU_c = M[c][c] / (Σ_p M[c][p] + Σ_t M[t][c] − M[c][c])   (TP / (TP + FP + FN))
 *   mIoU  = mean of IoU_c over present classes: those with TP + FP + FN > 0
 * </pre>
 *
 * <p>A class that appears neither in the ground truth nor in the predictions is not present and
 * does not count; with no present class the mIoU is 0. Predictions are logits or probabilities
 * {@code [B, C, d1, ...]} (the arg-max over the class axis is the predicted class), labels class
 * ids shaped like the predictions without the class axis (or with it of size 1). Counts are
 * exact ({@code long}) across any number of batches.
 */
public class MeanIoU extends Evaluator {

    private final int numClasses;
    private final Integer ignoreIndex;
    private final int classAxis;
    private final Map<String, long[]> confusion = new ConcurrentHashMap<>();

    /**
     * Creates the evaluator.
     *
     * @param name the name shown in training logs
     * @param numClasses the number of classes C, at least 1
     * @param ignoreIndex the ignored label, or {@code null}
     * @param classAxis the class axis of the predictions
     */
    public MeanIoU(String name, int numClasses, Integer ignoreIndex, int classAxis) {
        super(name);
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
        }
        this.numClasses = numClasses;
        this.ignoreIndex = ignoreIndex;
        this.classAxis = classAxis;
    }

    /**
     * Creates an evaluator named "mIoU" with class axis 1.
     *
     * @param numClasses the number of classes C
     * @param ignoreIndex the ignored label, or {@code null}
     * @return the evaluator
     */
    public static MeanIoU of(int numClasses, Integer ignoreIndex) {
        return new MeanIoU("mIoU", numClasses, ignoreIndex, 1);
    }

    /**
     * The confusion matrix of one batch, {@code C × C} row-major ({@code [truth][prediction]}).
     *
     * @param labels a single array of class ids
     * @param predictions a single array of logits or probabilities
     * @return the counts
     */
    public long[] confusionOf(NDList labels, NDList predictions) {
        NDArray pred = predictions.singletonOrThrow();
        NDArray label = labels.singletonOrThrow();
        long[] counts = new long[numClasses * numClasses];
        try (NDArray matrix = Scoped.compute(() -> confusionArray(pred, label), pred, label)) {
            long[] values = matrix.toLongArray();
            System.arraycopy(values, 0, counts, 0, counts.length);
        }
        return counts;
    }

    /** {@code onehot(truth)ᵀ · onehot(prediction)} over valid pixels, as int64 {@code [C, C]}. */
    private NDArray confusionArray(NDArray predictions, NDArray labels) {
        Shape shape = predictions.getShape();
        if (shape.dimension() < 2) {
            throw new IllegalArgumentException("predictions must be [B, C, ...], got shape " + shape);
        }
        int axis = InputChecks.resolveClassAxis(classAxis, shape);
        if (shape.get(axis) != numClasses) {
            throw new IllegalArgumentException(
                    "predictions of shape " + shape + " have " + shape.get(axis)
                            + " classes on axis " + axis + ", but the evaluator expects " + numClasses);
        }
        NDArray truth = InputChecks.labelsForClassAxis(shape, axis, labels).reshape(-1);
        InputChecks.checkLabelRange(truth, ignoreIndex, 0, numClasses - 1, "[0, " + numClasses + ")");
        NDArray predicted = predictions.argMax(axis).toType(DataType.INT64, false).reshape(-1);
        long pixels = truth.getShape().get(0);
        // float64 sums of 0/1 are exact far beyond any batch size.
        DataType countType = pixels < (1L << 24) ? DataType.FLOAT32 : DataType.FLOAT64;
        NDArray truthOneHot;
        if (ignoreIndex == null) {
            truthOneHot = truth.oneHot(numClasses, countType);
        } else {
            NDArray valid = truth.neq(ignoreIndex);
            NDArray safe = truth.mul(valid.toType(DataType.INT64, false));
            truthOneHot = safe.oneHot(numClasses, countType).mul(valid.toType(countType, false).reshape(pixels, 1));
        }
        NDArray counts = truthOneHot.transpose().matMul(predicted.oneHot(numClasses, countType));
        return counts.toType(DataType.INT64, false);
    }

    /**
     * The mIoU of one batch.
     *
     * @param labels a single array of class ids
     * @param predictions a single array of logits or probabilities
     * @return a float64 scalar on the predictions' manager
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDManager manager = predictions.singletonOrThrow().getManager();
        return manager.create(meanIoU(confusionOf(labels, predictions), numClasses));
    }

    @Override
    public void addAccumulator(String key) {
        confusion.put(key, new long[numClasses * numClasses]);
        totalInstances.put(key, 0L);
    }

    @Override
    public void updateAccumulator(String key, NDList labels, NDList predictions) {
        updateAccumulators(new String[] {key}, labels, predictions);
    }

    @Override
    public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
        long[] batch = confusionOf(labels, predictions);
        long pixels = 0;
        for (long c : batch) {
            pixels += c;
        }
        for (String key : keys) {
            long[] total = confusion.computeIfAbsent(key, k -> new long[numClasses * numClasses]);
            synchronized (total) {
                for (int i = 0; i < total.length; i++) {
                    total[i] += batch[i];
                }
            }
            totalInstances.merge(key, pixels, Long::sum);
        }
    }

    @Override
    public void resetAccumulator(String key) {
        addAccumulator(key);
    }

    @Override
    public float getAccumulator(String key) {
        return (float) meanIoU(confusionMatrix(key), numClasses);
    }

    /**
     * The accumulated confusion matrix.
     *
     * @param key the accumulator
     * @return a copy, {@code C × C} row-major ({@code [truth][prediction]})
     */
    public long[] confusionMatrix(String key) {
        long[] total = confusion.get(key);
        if (total == null) {
            throw new IllegalArgumentException("no accumulator named " + key);
        }
        synchronized (total) {
            return total.clone();
        }
    }

    /**
     * The accumulated IoU of each class.
     *
     * @param key the accumulator
     * @return IoU per class, {@code NaN} for classes that are not present
     */
    public double[] classIoU(String key) {
        return classIoU(confusionMatrix(key), numClasses);
    }

    /**
     * IoU per class of a confusion matrix.
     *
     * @param matrix {@code C × C} row-major counts
     * @param numClasses C
     * @return IoU per class, {@code NaN} where TP + FP + FN = 0
     */
    public static double[] classIoU(long[] matrix, int numClasses) {
        double[] iou = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            long truth = 0;
            long predicted = 0;
            for (int k = 0; k < numClasses; k++) {
                truth += matrix[c * numClasses + k];
                predicted += matrix[k * numClasses + c];
            }
            long tp = matrix[c * numClasses + c];
            long union = truth + predicted - tp;
            iou[c] = union == 0 ? Double.NaN : (double) tp / union;
        }
        return iou;
    }

    /**
     * Mean IoU over present classes of a confusion matrix (0 if none is present).
     *
     * @param matrix {@code C × C} row-major counts
     * @param numClasses C
     * @return the mean IoU
     */
    public static double meanIoU(long[] matrix, int numClasses) {
        double sum = 0;
        int present = 0;
        for (double v : classIoU(matrix, numClasses)) {
            if (!Double.isNaN(v)) {
                sum += v;
                present++;
            }
        }
        return present == 0 ? 0 : sum / present;
    }

    /** @return the number of classes */
    public int getNumClasses() {
        return numClasses;
    }

    /** @return the ignored label, or {@code null} */
    public Integer getIgnoreIndex() {
        return ignoreIndex;
    }
}
