package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Steps 1 and 2 for Lovász-Softmax (and Lovász-sigmoid when C = 1): class probabilities to rows,
 * one per class, or per image × class with {@code perImage}, each with the coefficient it has in
 * the class average. Rows that cannot contribute (classes outside the selection, absent classes
 * with PRESENT) are left out before any error is computed, so the sort only sees rows that count:
 * the engine kernel's rows ({@link Rows}) are copies of those that take part, the host kernel's
 * ({@link HostRows}) read the probabilities in place and give the others coefficient 0.
 */
final class SoftmaxRows {

    private SoftmaxRows() {}

    /**
     * Steps 1 to 5: validates, builds the rows for the kernel that runs, and scores them.
     *
     * @param labels class ids of the prediction shape without the class axis (or with it of size 1)
     * @param predictions logits or probabilities {@code [B, C, d1, ...]} (class axis anywhere but 0)
     * @param options the loss's settings
     * @return the scalar loss
     */
    static NDArray loss(NDArray labels, NDArray predictions, LovaszOptions options) {
        int axis =
                SegmentationInputs.requireClassAxisShapes(
                        labels, predictions, options.classAxis(), "predictions");
        Shape shape = predictions.getShape();
        SegmentationInputs.requireNonEmpty(predictions, "predictions");
        NDArray flatLabels = SegmentationInputs.classIdRows(shape, labels);
        int numClasses = Math.toIntExact(shape.get(axis));
        double[] multiplicities =
                classWeightsTimesSelection(options.classes, options.classWeights, shape, numClasses);
        int groups = options.perImage ? Math.toIntExact(shape.get(0)) : 1;
        String range = numClasses == 1 ? "{0, 1} (C = 1: label 1 is the foreground)" : "[0, " + numClasses + ")";
        if (options.kernel.resolve(predictions) == Kernel.HOST) {
            return hostLoss(flatLabels, predictions, axis, numClasses, multiplicities, groups, range, options);
        }
        SegmentationInputs.checkLabelRange(
                flatLabels, options.ignoreIndex(), 0, Math.max(1, numClasses - 1), range);
        NDArray probas = Targets.classFirst(probabilities(predictions, axis, numClasses, options.fromLogits()), axis);
        return LovaszKernel.loss(engineRows(flatLabels, probas, multiplicities, groups, options));
    }

    /**
     * The host kernel's rows: the probabilities in their own layout, the class ids counted and
     * checked in one host pass ({@link LabelCounts}) that also decides which rows take part.
     */
    private static NDArray hostLoss(NDArray flatLabels, NDArray predictions, int axis, int numClasses,
            double[] multiplicities, int groups, String range, LovaszOptions options) {
        Integer ignoreIndex = options.ignoreIndex();
        LabelCounts counts =
                LabelCounts.of(flatLabels, groups, Math.max(1, numClasses - 1), ignoreIndex, range);
        // C = 1 is the sigmoid mode: its one row is the foreground label 1.
        long[] classIds = new long[numClasses];
        for (int c = 0; c < numClasses; c++) {
            classIds[c] = numClasses == 1 ? 1 : c;
        }
        int rows = groups * numClasses;
        boolean[] present = contributing(options, groups, numClasses,
                () -> {
                    boolean[] any = new boolean[rows];
                    for (int r = 0; r < rows; r++) {
                        any[r] = counts.count(r / numClasses, classIds[r % numClasses]) > 0;
                    }
                    return any;
                },
                () -> {
                    boolean[] any = new boolean[groups];
                    for (int g = 0; g < groups; g++) {
                        any[g] = counts.counted(g) > 0;
                    }
                    return any;
                });
        int[] kept = new int[rows];
        double[] coefficients = classAverage(multiplicities, present, groups, kept);
        double[] scale = new double[rows];
        for (int i = 0; i < coefficients.length; i++) {
            scale[kept[i]] = coefficients[i];
        }
        NDArray probas = probabilities(predictions, axis, numClasses, options.fromLogits());
        return LovaszKernel.hostLoss(
                HostRows.ofClasses(probas, axis, flatLabels, groups, classIds, scale, ignoreIndex));
    }

    /**
     * The engine kernel's rows {@code [R, N]}: probabilities, ground truth and validity of the
     * rows that take part.
     *
     * @param flatLabels int64 class ids {@code [B, P]}, checked
     * @param probas class probabilities {@code [B, C, P]}
     * @param multiplicities how often each class counts
     * @param groups 1, or B per image
     * @param options the loss's settings
     * @return the rows
     */
    private static Rows engineRows(
            NDArray flatLabels, NDArray probas, double[] multiplicities, int groups, LovaszOptions options) {
        Integer ignoreIndex = options.ignoreIndex();
        int numClasses = Math.toIntExact(probas.getShape().get(1));
        // Rows are grouped as [groups × classes]: per image, or one group of all pixels.
        long length = probas.getShape().size() / (groups * (long) numClasses);
        NDManager manager = probas.getManager();
        NDArray classIds =
                numClasses == 1
                        ? manager.create(new long[] {1})
                        : manager.arange(0, numClasses, 1, DataType.INT64);
        NDArray groupLabels = flatLabels.reshape(groups, 1, length);
        NDArray valid = ignoreIndex == null ? null : groupLabels.neq(ignoreIndex);
        NDArray foreground =
                groupLabels.eq(classIds.reshape(1, numClasses, 1)).reshape(groups * numClasses, length);

        if (valid != null) {
            // An ignored pixel is never foreground, even where the ignore index is a class id.
            foreground =
                    foreground.reshape(groups, numClasses, length)
                            .logicalAnd(valid)
                            .reshape(groups * numClasses, length);
        }
        NDArray rowForeground = foreground;
        NDArray groupValid = valid;
        boolean[] present = contributing(options, groups, numClasses,
                () -> rowForeground.max(new int[] {-1}).toBooleanArray(),
                () -> groupValid.reshape(groups, length).max(new int[] {-1}).toBooleanArray());
        int[] kept = new int[groups * numClasses];
        double[] coefficients = classAverage(multiplicities, present, groups, kept);
        return takingPart(
                kept, coefficients, probas, foreground, valid, options.perImage, groups, numClasses, length);
    }

    /**
     * Which rows can contribute: with PRESENT those with a counted foreground pixel; else, with
     * an ignore index, those of groups with a counted pixel (the kernels need one); else all.
     *
     * @param rowForeground whether each row {@code [groups × classes]} has a counted foreground pixel
     * @param groupCounted whether each group has a counted pixel
     * @return a flag per row, or {@code null} for all
     */
    private static boolean[] contributing(LovaszOptions options, int groups, int numClasses,
            Supplier<boolean[]> rowForeground, Supplier<boolean[]> groupCounted) {
        if (options.classes.isPresent()) {
            return rowForeground.get();
        }
        if (options.ignoreIndex() == null) {
            return null;
        }
        boolean[] counted = groupCounted.get();
        boolean[] present = new boolean[groups * numClasses];
        for (int r = 0; r < present.length; r++) {
            present[r] = counted[r / numClasses];
        }
        return present;
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

    /** Class probabilities in the predictions' shape (softmax, sigmoid for C = 1, or checked as given). */
    private static NDArray probabilities(
            NDArray predictions, int axis, int numClasses, boolean fromLogits) {
        NDArray probas;
        if (fromLogits) {
            probas = numClasses == 1 ? Activation.sigmoid(predictions) : predictions.softmax(axis);
        } else {
            SegmentationInputs.checkProbabilities(predictions);
            probas = predictions;
        }
        return probas;
    }

    /**
     * Step 5's bookkeeping, decided before the sort: row {@code (g, c)} of {@code [groups ×
     * classes]} has weight {@code w = m_c · [F_{g,c} > 0 if PRESENT]}, where {@code m_c} is how
     * often class c is selected times its class weight and {@code F_{g,c}} its count of valid
     * foreground pixels in group g, and
     *
     * <pre>
     *   loss = (1 / groups) · Σ_g Σ_c w_{g,c} · L_{g,c} / Σ_c w_{g,c}    (a group whose Σ w = 0 adds 0)
     * </pre>
     *
     * @param multiplicities {@code m_c}
     * @param present whether each row has a valid foreground pixel, or {@code null} (ALL, a list)
     * @param groups the number of groups (images with {@code perImage}, else 1)
     * @param kept receives the indices of the rows of weight {@code > 0}, ascending; its length is
     *     then the returned array's
     * @return the coefficient of each kept row
     */
    private static double[] classAverage(
            double[] multiplicities, boolean[] present, int groups, int[] kept) {
        int classes = multiplicities.length;
        double[] weight = new double[groups * classes];
        double[] coefficients = new double[weight.length];
        int numKept = 0;
        for (int g = 0; g < groups; g++) {
            double norm = 0;
            for (int c = 0; c < classes; c++) {
                int r = g * classes + c;
                weight[r] = present == null || present[r] ? multiplicities[c] : 0;
                norm += weight[r];
            }
            for (int c = 0; c < classes; c++) {
                int r = g * classes + c;
                if (weight[r] > 0) {
                    kept[numKept] = r;
                    coefficients[numKept++] = weight[r] / (norm * groups);
                }
            }
        }
        if (numKept == 0) {
            // Nothing selected: keep row 0 with coefficient 0, so the loss is 0 with a zero
            // gradient that still reaches the predictions.
            kept[0] = 0;
            return new double[] {0};
        }
        return Arrays.copyOf(coefficients, numKept);
    }

    /** The rows that take part: their probabilities, ground truth and validity {@code [R, N]}. */
    private static Rows takingPart(
            int[] kept,
            double[] coefficients,
            NDArray probas,
            NDArray foreground,
            NDArray valid,
            boolean perImage,
            int groups,
            int numClasses,
            long length) {
        NDManager manager = probas.getManager();
        int numRows = coefficients.length;
        NDArray rowProbas;
        NDArray rowValid = null;
        if (numRows == groups * numClasses) {
            rowProbas = perImage ? probas : probas.swapAxes(0, 1);
            if (valid != null) {
                rowValid = valid.broadcast(groups, numClasses, length);
            }
        } else {
            long[] rowIds = new long[numRows];
            long[] rowGroups = new long[numRows];
            for (int i = 0; i < numRows; i++) {
                rowIds[i] = kept[i];
                rowGroups[i] = kept[i] / numClasses;
            }
            NDArray rows = EngineQuirks.copyLongs(manager, rowIds);
            foreground = foreground.get(new NDIndex("{}", rows));
            if (perImage) {
                rowProbas = probas.reshape(groups * numClasses, length).get(new NDIndex("{}", rows));
            } else {
                rowProbas = probas.get(new NDIndex(":, {}", rows)).swapAxes(0, 1);
            }
            if (valid != null) {
                // The group (image) of each kept row.
                NDArray groupIds = EngineQuirks.copyLongs(manager, rowGroups);
                rowValid = valid.reshape(groups, length).get(new NDIndex("{}", groupIds));
            }
        }
        rowProbas = rowProbas.reshape(numRows, length);
        if (rowValid != null) {
            rowValid = rowValid.reshape(numRows, length);
        }
        return new Rows(rowProbas, foreground, rowValid, Rows.Errors.ABSOLUTE, coefficients);
    }
}
