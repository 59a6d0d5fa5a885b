package ai.djl.lovasz.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * Steps 1 and 2 for Lovász-Softmax (and Lovász-sigmoid when C = 1): class probabilities to rows
 * of errors {@code |fg − p|}, one row per class, or per image × class with {@code perImage}.
 */
public final class SoftmaxRows {

    private SoftmaxRows() {}

    /**
     * Validates and builds the rows.
     *
     * @param predictions logits or probabilities {@code [B, C, d1, ...]} (class axis anywhere but 0)
     * @param labels class ids of the prediction shape without the class axis (or with it of size 1)
     * @param classAxis the class axis, negative counting from the end
     * @param fromLogits whether predictions are logits (softmax, or sigmoid for C = 1, inside)
     * @param perImage one row per image × class instead of per class
     * @param ignoreIndex the label to ignore, or {@code null}
     * @return the rows, with the batch size and class count
     */
    public static Rows build(
            NDArray predictions,
            NDArray labels,
            int classAxis,
            boolean fromLogits,
            boolean perImage,
            Integer ignoreIndex) {
        InputChecks.requireFloatAndSameDevice(predictions, labels, "predictions");
        Shape shape = predictions.getShape();
        if (shape.dimension() < 2) {
            throw new IllegalArgumentException(
                    "predictions must be [B, C, ...] with a batch and a class axis, got shape " + shape);
        }
        int axis = InputChecks.resolveClassAxis(classAxis, shape);
        InputChecks.requireNonEmpty(predictions, "predictions");
        NDArray flatLabels = InputChecks.labelsForClassAxis(shape, axis, labels);
        int numClasses = Math.toIntExact(shape.get(axis));
        if (numClasses == 1) {
            InputChecks.checkLabelRange(
                    flatLabels, ignoreIndex, 0, 1, "{0, 1} (C = 1: label 1 is the foreground)");
        } else {
            InputChecks.checkLabelRange(
                    flatLabels, ignoreIndex, 0, numClasses - 1, "[0, " + numClasses + ")");
        }

        NDArray probas;
        if (fromLogits) {
            probas = numClasses == 1 ? Activation.sigmoid(predictions) : predictions.softmax(axis);
        } else {
            InputChecks.checkProbabilities(predictions);
            probas = predictions;
        }
        if (axis != 1) {
            probas = probas.transpose(classAxisSecond(shape.dimension(), axis));
        }
        long batch = shape.get(0);
        long pixels = shape.size() / (batch * numClasses);
        probas = probas.reshape(batch, numClasses, pixels);

        NDManager manager = probas.getManager();
        // C = 1 is the sigmoid mode: its one row is the foreground label 1.
        NDArray classIds =
                numClasses == 1
                        ? manager.create(new long[] {1})
                        : manager.arange(0, numClasses, 1, DataType.INT64);
        RowProblem problem;
        if (perImage) {
            // Row (b, c): image b's pixels against class c.
            NDArray imageLabels = flatLabels.reshape(batch, 1, pixels);
            NDArray foreground =
                    imageLabels.eq(classIds.reshape(1, numClasses, 1)).reshape(batch * numClasses, pixels);
            NDArray valid =
                    ignoreIndex == null
                            ? null
                            : imageLabels
                                    .neq(ignoreIndex)
                                    .broadcast(batch, numClasses, pixels)
                                    .reshape(batch * numClasses, pixels);
            NDArray errors = errors(foreground, probas.reshape(batch * numClasses, pixels));
            problem = new RowProblem(errors, foreground, valid, false);
        } else {
            // Row c: every pixel of the batch against class c.
            NDArray pooledLabels = flatLabels.reshape(1, batch * pixels);
            NDArray foreground = pooledLabels.eq(classIds.reshape(numClasses, 1));
            NDArray valid =
                    ignoreIndex == null
                            ? null
                            : pooledLabels.neq(ignoreIndex).broadcast(numClasses, batch * pixels);
            NDArray rowsOfProbas = probas.swapAxes(0, 1).reshape(numClasses, batch * pixels);
            problem = new RowProblem(errors(foreground, rowsOfProbas), foreground, valid, false);
        }
        return new Rows(problem, perImage ? batch : 1, numClasses);
    }

    /** The permutation that moves {@code axis} to position 1 and keeps the others in order. */
    private static int[] classAxisSecond(int rank, int axis) {
        int[] order = new int[rank];
        order[1] = axis;
        int next = 2;
        for (int i = 1; i < rank; i++) {
            if (i != axis) {
                order[next++] = i;
            }
        }
        return order;
    }

    private static NDArray errors(NDArray foreground, NDArray probas) {
        return foreground.toType(probas.getDataType(), false).sub(probas).abs();
    }

    /**
     * Rows with their layout.
     *
     * @param problem the rows
     * @param groups the number of row groups averaged last (B with perImage, else 1)
     * @param numClasses rows per group
     */
    public record Rows(RowProblem problem, long groups, int numClasses) {}
}
