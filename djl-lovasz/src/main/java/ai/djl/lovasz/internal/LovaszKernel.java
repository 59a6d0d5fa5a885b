package ai.djl.lovasz.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;

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
 * <p>Cost: one argSort of {@code [R, N]}, three {@code take}s, one cumulative sum (two with an
 * ignore index) and a handful of in-place elementwise passes; the weights reuse two buffers.
 */
public final class LovaszKernel {

    /** Largest row length whose counts float32 holds exactly. */
    static final long FLOAT32_EXACT_COUNT = 1L << 24;

    private LovaszKernel() {}

    /**
     * Sorts every row once and returns the Lovász loss of each row.
     *
     * @param rows the rows (see {@link RowProblem})
     * @return the loss of each row {@code [R]}, differentiable through the errors, and the count
     *     of valid foreground pixels of each row {@code [R]} (a constant)
     */
    public static RowLosses rowLosses(RowProblem rows) {
        NDArray errors = rows.errors();
        NDManager manager = errors.getManager();
        long numRows = errors.getShape().get(0);
        long length = errors.getShape().get(1);

        // Descending order = ascending order of the negated keys (no flip copy). The permutation
        // becomes a flat index into the [R, N] arrays in place.
        NDArray flat = errors.stopGradient().neg().argSort(1, true).toType(DataType.INT64, false);
        flat.addi(manager.arange(0, Math.toIntExact(numRows), 1, DataType.INT64).muli(length).reshape(numRows, 1));
        NDArray sortedErrors = errors.take(flat);
        NDArray foreground = rows.foreground().take(flat);
        NDArray valid = null;
        if (rows.valid() != null) {
            valid = rows.valid().take(flat);
            foreground = foreground.logicalAnd(valid);
            // An ignored pixel's weight is 0; keep a non-finite error there from making 0·Inf.
            sortedErrors = NDArrays.where(valid, sortedErrors, sortedErrors.zerosLike());
        }
        flat.close();
        if (rows.relu()) {
            sortedErrors = Activation.relu(sortedErrors);
        }

        JaccardWeights weights =
                lovaszWeights(foreground, valid, countType(errors.getDataType(), length));
        NDArray w = weights.weights();
        if (w.getDataType() != errors.getDataType()) {
            w = w.toType(errors.getDataType(), false);
        }
        // One batched dot product per row: [R, 1, N] x [R, N, 1].
        NDArray loss =
                sortedErrors.reshape(numRows, 1, length).matMul(w.reshape(numRows, length, 1));
        return new RowLosses(loss.reshape(numRows), weights.foregroundCounts().reshape(numRows));
    }

    /**
     * The Lovász weights (the gradient of the Lovász extension of the Jaccard loss) of rows of
     * sorted ground truth; the original's {@code lovasz_grad}, vectorised over rows.
     *
     * @param sortedForeground boolean or 0/1 {@code [R, N]}, sorted by decreasing error; must be
     *     0 where {@code sortedValid} is 0
     * @param sortedValid boolean or 0/1 {@code [R, N]}, or {@code null} when no pixel is ignored
     * @param countType FLOAT32 or FLOAT64, the type that counts and weights are computed in
     * @return the weights {@code [R, N]} and the foreground count of each row {@code [R, 1]}
     */
    public static JaccardWeights lovaszWeights(
            NDArray sortedForeground, NDArray sortedValid, DataType countType) {
        NDManager manager = sortedForeground.getManager();
        int length = Math.toIntExact(sortedForeground.getShape().get(1));
        // Two [R, N] buffers of our own, updated in place: fg becomes u_{k-1}, cumFg becomes u_k.
        NDArray fg = sortedForeground.toType(countType, true);
        NDArray union = fg.cumSum(1);
        NDArray total = union.get(new NDIndex(":, " + (length - 1) + ":")).duplicate();
        NDArray count;
        NDArray prevCount;
        if (sortedValid == null) {
            count = manager.arange(1, length + 1, 1, countType);
            prevCount = manager.arange(0, length, 1, countType);
            union.negi().addi(total).addi(count);
            fg.addi(union).subi(1);
        } else {
            NDArray valid = sortedValid.toType(countType, true);
            count = valid.cumSum(1);
            union.negi().addi(total).addi(count);
            fg.addi(union).subi(valid);
            prevCount = valid.negi().addi(count);
            // u_k = 0 only where n_k = 0; there J_k = 0, so any non-zero divisor will do.
            union.addi(count.eq(0).toType(countType, false));
        }
        NDArray prevUnion = fg;
        prevUnion.addi(prevCount.eq(0).toType(countType, false));
        NDArray jaccard = union.powi(-1).muli(count);
        NDArray prevJaccard = prevUnion.powi(-1).muli(prevCount);
        return new JaccardWeights(jaccard.subi(prevJaccard), total);
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

    /**
     * Lovász weights and foreground totals of sorted rows.
     *
     * @param weights {@code [R, N]}
     * @param foregroundCounts {@code [R, 1]}
     */
    public record JaccardWeights(NDArray weights, NDArray foregroundCounts) {}

    /**
     * Per-row losses and foreground counts.
     *
     * @param losses {@code [R]}, differentiable
     * @param foregroundCounts {@code [R]}, in the count type
     */
    public record RowLosses(NDArray losses, NDArray foregroundCounts) {}
}
