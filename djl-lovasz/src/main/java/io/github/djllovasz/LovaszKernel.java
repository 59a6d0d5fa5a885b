package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Steps 3 and 4 of the pipeline, shared by every variant: one sort of all rows, then the
 * Jaccard gradient of the sorted ground truth, then one dot product per row.
 *
 * <p>For a row sorted by decreasing error with 0/1 ground truth {@code g} and validity {@code v}
 * (ignored pixels have {@code v = 0}), let {@code F = Σ g·v}, {@code f_k = Σ_{j≤k} g_j·v_j} and
 * {@code n_k = Σ_{j≤k} v_j}. The Jaccard loss of the first k pixels is
 *
 * <pre>
 *   J_k = 1 − (F − f_k) / (F + n_k − f_k) = n_k / u_k,   u_k = F + n_k − f_k  (J = 0 where u = 0)
 * </pre>
 *
 * <p>and the Lovász weights are {@code w_k = J_k − J_{k−1}} with {@code J_0 = 0}. An ignored
 * pixel leaves every count unchanged, so its weight is exactly 0 wherever the sort puts it.
 * Counts are exact: float32 while {@code N < 2^24}, float64 beyond (and for float64 inputs).
 *
 * <p>Cost: one argSort of {@code [R, N]}, two or three {@code take}s (values, ground truth,
 * validity), one cumulative sum (two with an ignore index) and a handful of in-place elementwise
 * passes; the weights reuse two buffers.
 */
public final class LovaszKernel {

    /** Largest row length whose counts float32 holds exactly. */
    static final long FLOAT32_EXACT_COUNT = 1L << 24;

    private LovaszKernel() {}

    /**
     * Sorts every row once and returns the Lovász loss of each row.
     *
     * <p>The errors are piecewise linear in the values: {@code e_k = a_k·v_k + b_k} with constants
     * {@code a, b} fixed by the ground truth (and, for the hinge, by the sign of the error). So the
     * loss {@code Σ_k w_k·e_(k)} is computed as {@code Σ_k (w_k·a_k)·v_(k) + Σ_k w_k·b_k}: autograd
     * sees one {@code take} of the values and one dot product, and nothing else.
     *
     * @param rows the rows (see {@link RowProblem})
     * @return the loss of each row {@code [R]}, differentiable through the values
     */
    public static NDArray rowLosses(RowProblem rows) {
        NDArray values = rows.values();
        NDManager manager = values.getManager();
        long numRows = values.getShape().get(0);
        long length = values.getShape().get(1);
        DataType valueType = values.getDataType();
        DataType countType = countType(valueType, length);

        // Ascending keys = descending errors (no flip copy). The permutation becomes a flat index
        // into the [R, N] arrays, in place.
        NDArray rowStarts =
                manager.arange(0, Math.toIntExact(numRows), 1, DataType.INT64)
                        .mul(length)
                        .reshape(numRows, 1);
        NDArray flat =
                Scratch.of(rows.keys().argSort(1, true).toType(DataType.INT64, false))
                        .add(rowStarts)
                        .get();
        NDArray sortedValues = values.take(flat);
        NDArray foreground = rows.foreground().take(flat);
        NDArray valid = null;
        if (rows.valid() != null) {
            valid = rows.valid().take(flat);
            foreground = foreground.logicalAnd(valid);
        }
        flat.close();

        NDArray weights = lovaszWeights(foreground, valid, countType);
        // slope a and offset b of each sorted error, in the count type
        NDArray fg = foreground.toType(countType, true);
        NDArray slope;
        NDArray constant;
        if (rows.errors() == RowProblem.ErrorKind.ABSOLUTE) {
            // fg: e = 1 − p (a = −1, b = 1); background: e = p (a = 1, b = 0)
            constant = rowDot(weights, fg);
            slope = Scratch.of(fg).mul(-2).add(1).get();
        } else {
            // s = 2fg − 1; active where 1 − s·v > 0: a = −s, b = 1; inactive: a = b = 0
            NDArray signs = Scratch.of(fg).mul(2).sub(1).get();
            NDArray v = sortedValues.stopGradient();
            NDArray active =
                    signs.mul(v.getDataType() == countType ? v : v.toType(countType, false))
                            .lt(1)
                            .toType(countType, false);
            constant = rowDot(weights, active);
            slope = Scratch.of(signs).mul(active).neg().get();
        }
        NDArray gradient = Scratch.of(weights).mul(slope).get();
        if (countType != valueType) {
            gradient = gradient.toType(valueType, false);
            constant = constant.toType(valueType, false);
        }
        return rowDot(sortedValues, gradient).add(constant);
    }

    /** {@code Σ_k a[r, k]·b[r, k]} for every row: one batched matrix product. */
    private static NDArray rowDot(NDArray a, NDArray b) {
        long rows = a.getShape().get(0);
        long length = a.getShape().get(1);
        return a.reshape(rows, 1, length).matMul(b.reshape(rows, length, 1)).reshape(rows);
    }

    /**
     * The Lovász weights (the gradient of the Lovász extension of the Jaccard loss) of rows of
     * sorted ground truth; the original's {@code lovasz_grad}, vectorised over rows.
     *
     * @param sortedForeground boolean or 0/1 {@code [R, N]}, sorted by decreasing error; must be
     *     0 where {@code sortedValid} is 0
     * @param sortedValid boolean or 0/1 {@code [R, N]}, or {@code null} when no pixel is ignored
     * @param countType FLOAT32 or FLOAT64, the type that counts and weights are computed in
     * @return the weights {@code [R, N]} in the count type
     */
    public static NDArray lovaszWeights(
            NDArray sortedForeground, NDArray sortedValid, DataType countType) {
        NDManager manager = sortedForeground.getManager();
        int length = Math.toIntExact(sortedForeground.getShape().get(1));
        // Two [R, N] buffers updated in place: fg becomes u_{k−1}, its cumulative sum u_k.
        NDArray fg = sortedForeground.toType(countType, true);
        NDArray union = fg.cumSum(1);
        NDArray total = union.get(new NDIndex(":, " + (length - 1) + ":")).duplicate();
        NDArray count;
        NDArray prevCount;
        if (sortedValid == null) {
            count = positions(manager, length, countType);
            prevCount = count.sub(1);
            union = Scratch.of(union).neg().add(total).add(count).get();
            // u_{k−1} = u_k − 1 + g_k; it is 0 only at k = 1 of a row without foreground, where
            // n_0 = 0 too: make that divisor 1 (J_0 = 0 either way).
            fg = Scratch.of(fg).add(union).sub(1).add(prevCount.eq(0).toType(countType, false)).get();
        } else {
            NDArray valid = sortedValid.toType(countType, true);
            count = valid.cumSum(1);
            union = Scratch.of(union).neg().add(total).add(count).get();
            fg = Scratch.of(fg).add(union).sub(valid).get();
            prevCount = Scratch.of(valid).neg().add(count).get();
            // u = 0 only where n = 0 (nothing valid yet), and there J = 0: any divisor ≥ 1 will do.
            union = union.maximum(1);
            fg = fg.maximum(1);
        }
        NDArray jaccard = count.div(union);
        return Scratch.of(jaccard).sub(prevCount.div(fg)).get();
    }

    /**
     * The positions {@code 1, 2, ..., length}, exact at any length (DJL's {@code arange} goes
     * through float32 and skips values beyond 2^24).
     */
    private static NDArray positions(NDManager manager, int length, DataType type) {
        if (length < FLOAT32_EXACT_COUNT) {
            return manager.arange(1, length + 1, 1, type);
        }
        return manager.ones(new Shape(length), type).cumSum(0);
    }

    /**
     * The float type in which counts of a row of the given length are exact.
     *
     * @param errorType the type of the errors
     * @param length the row length N
     * @return FLOAT64 for float64 errors or rows of 2^24 pixels or more, else FLOAT32
     */
    public static DataType countType(DataType errorType, long length) {
        return errorType == DataType.FLOAT64 || length >= FLOAT32_EXACT_COUNT
                ? DataType.FLOAT64
                : DataType.FLOAT32;
    }
}
