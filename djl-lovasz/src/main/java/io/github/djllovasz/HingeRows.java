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
     * Steps 1 to 5: validates, builds the rows for the kernel that runs, and scores them.
     *
     * @param labels 0/1 (or the ignore index) of the logits' shape, with or without the size-1
     *     axis 1
     * @param logits {@code [B, d1, ...]} or {@code [B, 1, d1, ...]}
     * @param options the loss's settings ({@code perImage}, {@code ignoreIndex})
     * @return the scalar loss
     */
    static NDArray loss(NDArray labels, NDArray logits, LovaszOptions options) {
        SegmentationInputs.requireBinaryShapes(labels, logits, "logits");
        SegmentationInputs.requireNonEmpty(logits, "logits");
        Shape shape = logits.getShape();
        long batch = shape.get(0);
        long pixels = shape.size() / batch;
        NDArray flatLabels = SegmentationInputs.integerLabels(labels).reshape(batch, pixels);
        int rows = options.perImage ? Math.toIntExact(batch) : 1;
        Integer ignoreIndex = options.ignoreIndex();
        // The mean over rows; a row without a counted pixel adds 0 (and still counts in the
        // mean): the kernels need one counted pixel per row, so its coefficient is 0.
        double[] mean = new double[rows];
        Arrays.fill(mean, 1.0 / rows);
        if (options.kernel.resolve(logits) == Kernel.HOST) {
            LabelCounts counts = LabelCounts.of(flatLabels, rows, 1, ignoreIndex, "{0, 1}");
            for (int r = 0; r < rows; r++) {
                if (counts.counted(r) == 0) {
                    mean[r] = 0;
                }
            }
            return LovaszKernel.hostLoss(HostRows.ofHinge(logits, flatLabels, rows, mean, ignoreIndex));
        }
        SegmentationInputs.checkLabelRange(flatLabels, ignoreIndex, 0, 1, "{0, 1}");
        NDArray rowLabels = flatLabels.reshape(rows, -1);
        NDArray foreground = rowLabels.eq(1);
        NDArray valid = null;
        if (ignoreIndex != null) {
            valid = rowLabels.neq(ignoreIndex);
            foreground = foreground.logicalAnd(valid);
            boolean[] counted = valid.max(new int[] {-1}).toBooleanArray();
            for (int r = 0; r < rows; r++) {
                if (!counted[r]) {
                    mean[r] = 0;
                }
            }
        }
        return LovaszKernel.loss(new Rows(logits.reshape(rows, -1), foreground, valid, Rows.Errors.HINGE, mean));
    }
}
