package io.github.djllovasz;

import ai.djl.ndarray.NDArray;

/**
 * Rows of a Lovász problem, ready for the one sort: step 2's output, step 3's input.
 *
 * <p>Row {@code r} holds one (image ×) class over {@code N} pixels: the differentiable values the
 * errors are made of (probabilities or logits), the sort keys (the negated errors, detached), and
 * the pixels' ground truth and validity.
 *
 * @param values the probabilities (softmax, sigmoid) or logits (hinge) {@code [R, N]},
 *     differentiable
 * @param keys the negated errors {@code [R, N]}, detached: ascending keys = descending errors
 * @param foreground boolean {@code [R, N]}: the pixel belongs to the row's class
 * @param valid boolean {@code [R, N]}: the pixel is not ignored; {@code null} when none is
 * @param errors how the errors are made of the values
 */
public record RowProblem(
        NDArray values, NDArray keys, NDArray foreground, NDArray valid, ErrorKind errors) {

    /** How a row's errors depend on its values. */
    public enum ErrorKind {
        /** {@code e = |fg − p|}: Lovász-Softmax and Lovász-sigmoid. */
        ABSOLUTE,
        /** {@code e = relu(1 − s·(2fg − 1))}: the Lovász hinge. */
        HINGE
    }
}
