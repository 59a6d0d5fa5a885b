package ai.djl.lovasz.internal;

import ai.djl.ndarray.NDArray;

/**
 * Rows of a Lovász problem, ready for the one sort: step 2's output, step 3's input.
 *
 * <p>Row {@code r} holds the errors of one (image ×) class over {@code N} pixels, with the same
 * pixels' ground truth and validity.
 *
 * @param errors the errors {@code [R, N]}, differentiable, in the prediction's float type
 * @param foreground boolean {@code [R, N]}: the pixel belongs to the row's class
 * @param valid boolean {@code [R, N]}: the pixel is not ignored; {@code null} when none is
 * @param relu whether the sorted errors pass through relu (hinge) or not (softmax, sigmoid)
 */
public record RowProblem(NDArray errors, NDArray foreground, NDArray valid, boolean relu) {}
