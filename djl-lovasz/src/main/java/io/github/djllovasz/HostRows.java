package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The rows of a Lovász problem as {@link HostKernel} reads them: straight from the values as the
 * network produced them ({@code [B, d1, ..., C, ..., dk]}, nothing copied or transposed) and from
 * the class ids, where {@link Rows} holds engine arrays of one row each.
 *
 * <p>The values have {@code outer = B·before} blocks (the batch and the axes before the class
 * axis), each of {@code stride = C} classes of {@code inner} elements (the axes after it). Rows
 * are grouped as {@code [groups × C]}: one group of all images, or one per image ({@code
 * perImage}). Pixel {@code i} of row {@code r = group·C + column} lies at element
 *
 * <pre>
 *   offset(r, i) = ((start_group + ⌊i / inner⌋) · stride + column) · inner + (i mod inner)
 *   start_group  = group · outer / groups,     length N = (outer / groups) · inner
 * </pre>
 *
 * <p>and its class id at {@code labels[group·N + i]}: the labels are the values' shape without
 * the class axis, flat. Its ground truth is {@code g = [label = classId_column]}, and it is
 * ignored where {@code label = ignoreIndex}. A row's {@code scale} is its coefficient in the loss;
 * rows of scale 0 are not sorted and get slopes 0.
 */
final class HostRows {

    /** The values, of any shape with its class axis (none for the hinge: stride 1). */
    final NDArray values;
    /** Class ids, int64, one per pixel in the values' order without the class axis. */
    final NDArray labels;
    /** How the errors are made of the values. */
    final Rows.Errors errorKind;
    /** The ignored label, or {@code null}. */
    final Integer ignoreIndex;
    /** Pixels per row. */
    final int length;
    /** Elements after the class axis. */
    final int inner;
    /** The size of the class axis. */
    final int stride;
    /** Blocks of {@code stride · inner} elements per group. */
    final int blocksPerGroup;
    /** The foreground label of each class-axis position. */
    final long[] classIds;
    /** The coefficient of each row {@code group·stride + column}; 0: not sorted, slopes 0. */
    final double[] scale;

    private HostRows(NDArray values, NDArray labels, Rows.Errors errorKind, Integer ignoreIndex,
            int groups, int classAxis, long[] classIds, double[] scale) {
        Shape shape = values.getShape();
        this.values = values;
        this.labels = labels;
        this.errorKind = errorKind;
        this.ignoreIndex = ignoreIndex;
        long batch = shape.get(0);
        long before = 1;
        long after = 1;
        for (int d = 1; d < shape.dimension(); d++) {
            if (d < classAxis) { // classAxis < 0: none, every axis is after it
                before *= shape.get(d);
            } else if (d > classAxis) {
                after *= shape.get(d);
            }
        }
        this.stride = classAxis < 0 ? 1 : Math.toIntExact(shape.get(classAxis));
        this.inner = Math.toIntExact(after);
        this.blocksPerGroup = Math.toIntExact(batch * before / groups);
        this.length = Math.toIntExact((long) blocksPerGroup * inner);
        this.classIds = classIds;
        this.scale = scale;
        if (classIds.length != stride || scale.length != groups * stride) {
            throw new IllegalStateException(
                    classIds.length + " class ids and " + scale.length + " scales for " + groups
                            + " groups of " + stride + " classes");
        }
    }

    /**
     * Rows of class probabilities: one per class, or per image × class.
     *
     * @param probas {@code [B, ..., C, ...]}, the class axis at {@code classAxis}
     * @param classAxis the class axis (≥ 1)
     * @param labels class ids, int64, {@code B·P} of them in pixel order
     * @param groups 1 (pooled) or B (per image)
     * @param classIds the foreground label of each class (for C = 1: label 1)
     * @param scale the coefficient of each row {@code group·C + class}
     * @param ignoreIndex the ignored label, or {@code null}
     * @return the rows
     */
    static HostRows ofClasses(NDArray probas, int classAxis, NDArray labels, int groups,
            long[] classIds, double[] scale, Integer ignoreIndex) {
        return new HostRows(probas, labels, Rows.Errors.ABSOLUTE, ignoreIndex, groups, classAxis,
                classIds, scale);
    }

    /**
     * Rows of hinge logits with 0/1 labels: one row, or one per image.
     *
     * @param logits {@code [B, d1, ...]} (a size-1 axis 1 is a pixel axis like any other)
     * @param labels 0/1 labels, int64, in the logits' order
     * @param groups 1 (pooled) or B (per image)
     * @param scale the coefficient of each row
     * @param ignoreIndex the ignored label, or {@code null}
     * @return the rows
     */
    static HostRows ofHinge(NDArray logits, NDArray labels, int groups, double[] scale, Integer ignoreIndex) {
        return new HostRows(logits, labels, Rows.Errors.HINGE, ignoreIndex, groups, -1, new long[] {1}, scale);
    }

    /** @return the number of rows, {@code groups · stride} */
    int rows() {
        return scale.length;
    }

    /** @return the element of the values that holds pixel {@code i} of row {@code r} */
    int offset(int r, int i) {
        int group = r / stride;
        int column = r % stride;
        long block = (long) group * blocksPerGroup + i / inner;
        return Math.toIntExact((block * stride + column) * inner + i % inner);
    }

    /** @return where the class id of pixel {@code i} of row {@code r} lies in the labels */
    int labelOffset(int r, int i) {
        return (r / stride) * length + i;
    }

    /** @return the foreground label of row {@code r} */
    long classId(int r) {
        return classIds[r % stride];
    }
}
