package io.github.djllovasz.metric;

/**
 * The counts of one batch: its confusion matrix, and per image and class the intersection and
 * the union of ground truth and prediction (over the counted pixels).
 */
final class BatchCounts {

    /** Row-major {@code [truth·C + predicted]}. */
    final long[] matrix;
    /** {@code [b·C + c]}: pixels of image b that are class c in truth and prediction. */
    final long[] intersections;
    /** {@code [b·C + c]}: pixels of image b that are class c in truth or prediction. */
    final long[] unions;

    BatchCounts(long[] matrix, long[] intersections, long[] unions) {
        this.matrix = matrix;
        this.intersections = intersections;
        this.unions = unions;
    }

    /**
     * The counts of a batch with no image.
     *
     * @param numClasses C
     * @return zero counts
     */
    static BatchCounts empty(int numClasses) {
        return new BatchCounts(new long[numClasses * numClasses], new long[0], new long[0]);
    }
}
