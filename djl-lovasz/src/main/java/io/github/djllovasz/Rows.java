package io.github.djllovasz;

import ai.djl.ndarray.NDArray;

/**
 * The rows of a Lovász problem, built by {@link SoftmaxRows} or {@link HingeRows} and scored by
 * {@link LovaszKernel#loss}: row {@code r} is one class (or one image × class, or one image for
 * the hinge) over its {@code N} pixels, and the loss is {@code Σ_r coefficient_r · L_r}.
 */
final class Rows {

    /** How a row's errors are made of its values {@code v} and ground truth {@code g ∈ {0, 1}}. */
    enum Errors {
        /** {@code e = |g − p| = (1 − 2g)·p + g} for probabilities p: Lovász-Softmax and -sigmoid. */
        ABSOLUTE,
        /** {@code e = 1 − (2g − 1)·s = (1 − 2g)·s + 1} for logits s, scored as {@code relu(e)}. */
        HINGE
    }

    /** The probabilities or logits {@code [R, N]}, differentiable. */
    final NDArray values;
    /** Boolean {@code [R, N]}: the pixel belongs to the row's class. */
    final NDArray foreground;
    /** Boolean {@code [R, N]}: the pixel is not ignored; {@code null} when none is. */
    final NDArray valid;
    /** How the errors are made of the values. */
    final Errors errorKind;
    /** The coefficient of each row in the loss, {@code [R]}. */
    final double[] coefficients;

    Rows(NDArray values, NDArray foreground, NDArray valid, Errors errors, double[] coefficients) {
        this.values = values;
        this.foreground = foreground;
        this.valid = valid;
        this.errorKind = errors;
        this.coefficients = coefficients;
    }
}
