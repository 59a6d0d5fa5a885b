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
        if (options.kernel.resolve(logits) == Kernel.HOST) {
            LabelCounts counts = LabelCounts.of(flatLabels, rows, 1, ignoreIndex, "{0, 1}");
            boolean[] counted = new boolean[rows];
            for (int r = 0; r < rows; r++) {
                counted[r] = counts.counted(r) > 0;
            }
            return LovaszKernel.hostLoss(HostRows.ofHinge(logits, flatLabels, rows, mean(counted), ignoreIndex));
        }
        SegmentationInputs.checkLabelRange(flatLabels, ignoreIndex, 0, 1, "{0, 1}");
        NDArray rowLabels = flatLabels.reshape(rows, -1);
        NDArray foreground = rowLabels.eq(1);
        NDArray valid = null;
        boolean[] counted = new boolean[rows];
        Arrays.fill(counted, true);
        if (ignoreIndex != null) {
            valid = rowLabels.neq(ignoreIndex);
            foreground = foreground.logicalAnd(valid);
            counted = valid.max(new int[] {-1}).toBooleanArray();
        }
        return LovaszKernel.loss(
                new Rows(logits.reshape(rows, -1), foreground, valid, Rows.Errors.HINGE, mean(counted)));
    }

    /**
     * The coefficient of each row: a plain mean over rows, where a row without a counted pixel
     * adds 0 (and still counts in the mean). The kernels need one counted pixel per row, so such
     * a row gets coefficient 0.
     *
     * @param counted whether each row has a pixel that is not ignored
     * @return the coefficients
     */
    private static double[] mean(boolean[] counted) {
        double[] mean = new double[counted.length];
        for (int r = 0; r < mean.length; r++) {
            mean[r] = counted[r] ? 1.0 / mean.length : 0;
        }
        return mean;
    }
}
