package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * Steps 1 and 2 for Lovász-Softmax (and Lovász-sigmoid when C = 1): class probabilities to rows
 * of errors {@code |fg − p|}, one row per class, or per image × class with {@code perImage}.
 * Rows that cannot contribute (classes outside the selection, absent classes with PRESENT) are
 * dropped before any error is computed, so the sort only sees rows that count.
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
     * @param classes the class selection
     * @param classWeights one weight per class, or {@code null}
     * @return the rows and their weights
     */
    public static Rows build(
            NDArray predictions,
            NDArray labels,
            int classAxis,
            boolean fromLogits,
            boolean perImage,
            Integer ignoreIndex,
            ClassSelection classes,
            double[] classWeights) {
        int axis = checkShapes(predictions, labels, classAxis);
        Shape shape = predictions.getShape();
        InputChecks.requireNonEmpty(predictions, "predictions");
        NDArray flatLabels = InputChecks.labelsForClassAxis(shape, axis, labels);
        int numClasses = Math.toIntExact(shape.get(axis));
        double[] multiplicities = classWeightsTimesSelection(classes, classWeights, shape, numClasses);
        if (numClasses == 1) {
            InputChecks.checkLabelRange(
                    flatLabels, ignoreIndex, 0, 1, "{0, 1} (C = 1: label 1 is the foreground)");
        } else {
            InputChecks.checkLabelRange(
                    flatLabels, ignoreIndex, 0, numClasses - 1, "[0, " + numClasses + ")");
        }
        NDArray probas = probabilities(predictions, axis, numClasses, fromLogits);

        // Rows are grouped as [groups × classes]: per image, or one group of all pixels.
        long batch = shape.get(0);
        int groups = perImage ? Math.toIntExact(batch) : 1;
        long length = shape.size() / (groups * (long) numClasses);
        NDManager manager = probas.getManager();
        // C = 1 is the sigmoid mode: its one row is the foreground label 1.
        NDArray classIds =
                numClasses == 1
                        ? manager.create(new long[] {1})
                        : manager.arange(0, numClasses, 1, DataType.INT64);
        NDArray groupLabels = flatLabels.reshape(groups, 1, length);
        NDArray valid = ignoreIndex == null ? null : groupLabels.neq(ignoreIndex);
        NDArray foreground =
                groupLabels.eq(classIds.reshape(1, numClasses, 1)).reshape(groups * numClasses, length);

        boolean[] present = null;
        if (classes.isPresent()) {
            NDArray counted =
                    valid == null
                            ? foreground
                            : foreground.reshape(groups, numClasses, length).logicalAnd(valid);
            present = counted.max(new int[] {-1}).toBooleanArray();
        }
        RowWeights weights = RowWeights.classAverage(multiplicities, present, groups);
        RowProblem problem =
                takingPart(weights, probas, foreground, valid, perImage, groups, numClasses, length);
        return new Rows(problem, weights);
    }

    /**
     * Checks types, devices and shapes (not label values), also for an empty batch.
     *
     * @param predictions {@code [B, C, d1, ...]}
     * @param labels class ids
     * @param classAxis the class axis, negative counting from the end
     * @return the resolved class axis
     */
    public static int checkShapes(NDArray predictions, NDArray labels, int classAxis) {
        InputChecks.requireFloatAndSameDevice(predictions, labels, "predictions");
        Shape shape = predictions.getShape();
        if (shape.dimension() < 2) {
            throw new IllegalArgumentException(
                    "predictions must be [B, C, ...] with a batch and a class axis, got shape " + shape);
        }
        int axis = InputChecks.resolveClassAxis(classAxis, shape);
        InputChecks.requireLabelShape(shape, axis, labels);
        return axis;
    }

    /** How often each class counts: its multiplicity in the selection times its weight. */
    private static double[] classWeightsTimesSelection(
            ClassSelection classes, double[] classWeights, Shape shape, int numClasses) {
        double[] multiplicities = classes.multiplicities(numClasses);
        if (classWeights != null) {
            if (classWeights.length != numClasses) {
                throw new IllegalArgumentException(
                        "classWeights has " + classWeights.length + " entries, but predictions of shape "
                                + shape + " have C = " + numClasses + " classes");
            }
            for (int c = 0; c < numClasses; c++) {
                multiplicities[c] *= classWeights[c];
            }
        }
        return multiplicities;
    }

    /** Class probabilities {@code [B, C, P]} (softmax, sigmoid for C = 1, or checked as given). */
    private static NDArray probabilities(
            NDArray predictions, int axis, int numClasses, boolean fromLogits) {
        NDArray probas;
        if (fromLogits) {
            probas = numClasses == 1 ? Activation.sigmoid(predictions) : predictions.softmax(axis);
        } else {
            InputChecks.checkProbabilities(predictions);
            probas = predictions;
        }
        Shape shape = predictions.getShape();
        if (axis != 1) {
            probas = probas.transpose(classAxisSecond(shape.dimension(), axis));
        }
        long batch = shape.get(0);
        return probas.reshape(batch, numClasses, shape.size() / (batch * numClasses));
    }

    /**
     * The rows that take part: their probabilities, ground truth and validity {@code [R, N]}, and
     * the sort keys {@code −|fg − p|} (detached).
     */
    private static RowProblem takingPart(
            RowWeights weights,
            NDArray probas,
            NDArray foreground,
            NDArray valid,
            boolean perImage,
            int groups,
            int numClasses,
            long length) {
        NDManager manager = probas.getManager();
        NDArray rowProbas;
        NDArray rowValid = null;
        if (weights.allRows()) {
            rowProbas = perImage ? probas : probas.swapAxes(0, 1);
            if (valid != null) {
                rowValid = valid.broadcast(groups, numClasses, length);
            }
        } else {
            NDArray rows = HostArrays.longs(manager, weights.rows());
            foreground = foreground.get(new NDIndex("{}", rows));
            if (perImage) {
                rowProbas = probas.reshape(groups * numClasses, length).get(new NDIndex("{}", rows));
            } else {
                rowProbas = probas.get(new NDIndex(":, {}", rows)).swapAxes(0, 1);
            }
            if (valid != null) {
                // The group (image) of each kept row.
                NDArray rowGroups = HostArrays.longs(manager, groupsOf(weights.rows(), numClasses));
                rowValid = valid.reshape(groups, length).get(new NDIndex("{}", rowGroups));
            }
        }
        long numRows = foreground.getShape().get(0);
        rowProbas = rowProbas.reshape(numRows, length);
        if (rowValid != null) {
            rowValid = rowValid.reshape(numRows, length);
        }
        NDArray keys =
                Scratch.of(foreground.toType(rowProbas.getDataType(), true))
                        .sub(rowProbas.stopGradient())
                        .get()
                        .abs();
        keys = Scratch.of(keys).neg().get();
        return new RowProblem(rowProbas, keys, foreground, rowValid, RowProblem.ErrorKind.ABSOLUTE);
    }

    private static long[] groupsOf(long[] rows, int numClasses) {
        long[] groups = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            groups[i] = rows[i] / numClasses;
        }
        return groups;
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

    /**
     * Rows with their weights.
     *
     * @param problem the rows that take part
     * @param weights which rows of {@code [groups × classes]} they are, and their coefficients
     */
    public record Rows(RowProblem problem, RowWeights weights) {}
}
