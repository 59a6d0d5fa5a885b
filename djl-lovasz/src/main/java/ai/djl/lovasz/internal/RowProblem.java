package ai.djl.lovasz.internal;

import ai.djl.ndarray.NDArray;

/**
 * Rows of a Lovász problem, ready for the one sort: step 2's output, step 3's input.
 *
 * <p>Row {@code r} holds the errors of one (image ×) class over {@code N} pixels. Its ground truth
 * is not stored as a dense mask: it is read from a small label vector after sorting, at flat index
 * {@code labelOffsets[r] + perm[r, k]}, and compared with {@code classIds[r]}.
 *
 * @param errors the errors {@code [R, N]}, differentiable, in the prediction's float type
 * @param labels the labels as int64, flattened {@code [L]}
 * @param labelOffsets int64 {@code [R, 1]}: where row r's pixels start in {@code labels}, or
 *     {@code null} when every row reads the whole label vector ({@code L == N})
 * @param classIds int64 {@code [R, 1]}: the label value that is foreground in each row
 * @param ignoreIndex the label value to ignore, or {@code null}
 * @param relu whether the sorted errors pass through relu (hinge) or not (softmax, sigmoid)
 */
public record RowProblem(
        NDArray errors,
        NDArray labels,
        NDArray labelOffsets,
        NDArray classIds,
        Integer ignoreIndex,
        boolean relu) {}
