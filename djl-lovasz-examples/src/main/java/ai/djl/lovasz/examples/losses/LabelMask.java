package ai.djl.lovasz.examples.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * The valid-pixel mask of integer labels with an optional ignore index, and the labels with
 * ignored entries replaced by 0 (safe to use as indices).
 *
 * @param valid boolean, true where the label is not ignored
 * @param safeLabels int64 labels, 0 where ignored
 */
record LabelMask(NDArray valid, NDArray safeLabels) {

    /**
     * Builds the mask.
     *
     * @param ids int64 labels
     * @param ignoreIndex the ignored label, or {@code null}
     * @param scope the manager of the results
     * @return the mask
     */
    static LabelMask of(NDArray ids, Integer ignoreIndex, NDManager scope) {
        NDArray valid = ignoreIndex == null
                ? scope.ones(ids.getShape(), DataType.BOOLEAN)
                : ids.neq(ignoreIndex);
        NDArray safe = ignoreIndex == null ? ids : ids.mul(valid.toType(DataType.INT64, false));
        valid.attach(scope);
        safe.attach(scope);
        return new LabelMask(valid, safe);
    }

    /**
     * Rejects valid labels outside {@code [low, high]}.
     *
     * @param low the smallest allowed label
     * @param high the largest allowed label
     * @throws IllegalArgumentException naming the first offending value
     */
    void checkRange(long low, long high) {
        if (safeLabels.getShape().size() == 0) {
            return;
        }
        long min = safeLabels.min().toLongArray()[0];
        long max = safeLabels.max().toLongArray()[0];
        if (min < low || max > high) {
            throw new IllegalArgumentException(
                    "label " + (min < low ? min : max) + " is outside [" + low + ", " + high
                            + "] and is not the ignore index");
        }
    }

    /**
     * Gives labels the class axis 1 of the predictions if they lack it.
     *
     * @param labels {@code [B, d1, ...]} or {@code [B, 1, d1, ...]}
     * @param predictions {@code [B, C, d1, ...]}
     * @return labels {@code [B, 1, d1, ...]}
     * @throws IllegalArgumentException if the shapes do not fit
     */
    static NDArray alignWithClassAxis(NDArray labels, NDArray predictions) {
        long[] p = predictions.getShape().getShape();
        long[] l = labels.getShape().getShape();
        NDArray aligned = l.length == p.length - 1 ? labels.expandDims(1) : labels;
        long[] a = aligned.getShape().getShape();
        boolean fits = a.length == p.length && a[1] == 1;
        for (int i = 0; fits && i < a.length; i++) {
            fits = i == 1 || a[i] == p[i];
        }
        if (!fits) {
            throw new IllegalArgumentException(
                    "labels " + labels.getShape() + " do not fit predictions "
                            + predictions.getShape() + " (class axis 1)");
        }
        return aligned;
    }
}
