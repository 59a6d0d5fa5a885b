package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Steps 1 and 2 for the Lovász hinge: logits and binary labels to rows of hinge errors
 * {@code 1 − s·(2y − 1)}, one row per image with {@code perImage}, else one pooled row.
 */
public final class HingeRows {

    private HingeRows() {}

    /**
     * Validates and builds the rows.
     *
     * @param logits {@code [B, d1, ...]} or {@code [B, 1, d1, ...]}
     * @param labels 0/1 (or the ignore index) of the same shape, or with/without the size-1 axis 1
     * @param perImage one row per image instead of one pooled row
     * @param ignoreIndex the label to ignore, or {@code null}
     * @return the rows; their losses are averaged with a plain mean (every image counts)
     */
    public static RowProblem build(
            NDArray logits, NDArray labels, boolean perImage, Integer ignoreIndex) {
        InputChecks.requireBinaryShapes(logits, labels, "logits");
        Shape shape = logits.getShape();
        InputChecks.requireNonEmpty(logits, "logits");
        long batch = shape.get(0);
        long pixels = shape.size() / batch;
        NDArray flatLabels = InputChecks.integerLabels(labels).reshape(batch, pixels);
        InputChecks.checkLabelRange(flatLabels, ignoreIndex, 0, 1, "{0, 1}");

        // One row per image, or one pooled row.
        long rows = perImage ? batch : 1;
        NDArray rowLabels = flatLabels.reshape(rows, -1);
        NDArray foreground = rowLabels.eq(1);
        NDArray values = logits.reshape(rows, -1);
        // keys = −(1 − s·x) = s·x − 1 with s = 2fg − 1, detached
        NDArray keys =
                Scratch.of(foreground.toType(logits.getDataType(), true))
                        .mul(2)
                        .sub(1)
                        .mul(values.stopGradient())
                        .sub(1)
                        .get();
        NDArray valid = ignoreIndex == null ? null : rowLabels.neq(ignoreIndex);
        return new RowProblem(values, keys, foreground, valid, RowProblem.ErrorKind.HINGE);
    }
}
