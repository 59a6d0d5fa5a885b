package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Steps 1 and 2 for the Lovász hinge: logits and binary labels to rows, one per image with
 * {@code perImage}, else one pooled row; every row counts equally (a plain mean).
 */
final class HingeRows {

    private HingeRows() {}

    /**
     * Validates and builds the rows.
     *
     * @param labels 0/1 (or the ignore index) of the logits' shape, with or without the size-1
     *     axis 1
     * @param logits {@code [B, d1, ...]} or {@code [B, 1, d1, ...]}
     * @param options the loss's settings ({@code perImage}, {@code ignoreIndex})
     * @return the rows
     */
    static Rows build(NDArray labels, NDArray logits, LovaszOptions options) {
        SegmentationInputs.requireBinaryShapes(labels, logits, "logits");
        SegmentationInputs.requireNonEmpty(logits, "logits");
        Shape shape = logits.getShape();
        long batch = shape.get(0);
        long pixels = shape.size() / batch;
        NDArray flatLabels = SegmentationInputs.integerLabels(labels).reshape(batch, pixels);
        SegmentationInputs.checkLabelRange(flatLabels, options.ignoreIndex(), 0, 1, "{0, 1}");

        int rows = options.perImage ? Math.toIntExact(batch) : 1;
        NDArray rowLabels = flatLabels.reshape(rows, -1);
        NDArray foreground = rowLabels.eq(1);
        double[] mean = new double[rows];
        Arrays.fill(mean, 1.0 / rows);
        NDArray valid = null;
        if (options.ignoreIndex() != null) {
            valid = rowLabels.neq(options.ignoreIndex());
            foreground = foreground.logicalAnd(valid);
            // A row without a counted pixel adds 0 (and still counts in the mean); the kernel
            // needs one counted pixel per row, so its coefficient is 0.
            boolean[] counted = valid.max(new int[] {-1}).toBooleanArray();
            for (int r = 0; r < rows; r++) {
                if (!counted[r]) {
                    mean[r] = 0;
                }
            }
        }
        return new Rows(logits.reshape(rows, -1), foreground, valid, Rows.Errors.HINGE, mean);
    }
}
