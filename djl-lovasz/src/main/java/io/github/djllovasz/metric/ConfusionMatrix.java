package io.github.djllovasz.metric;

import java.util.Arrays;

/**
 * Exact pixel counts {@code n[t][p]} of a C-class segmentation: how many counted pixels of ground
 * truth class {@code t} were predicted as class {@code p} (rows: ground truth, columns:
 * prediction), kept on the host as {@code long}.
 *
 * <p>For class c: {@code TP = n[c][c]}, {@code FP = Σ_t n[t][c] − TP} (predicted c, truth
 * another class), {@code FN = Σ_p n[c][p] − TP} (truth c, predicted another class), and
 *
 * <pre>
 *   IoU_c   = TP / (TP + FP + FN)                       for present classes
 *   present = { c : TP + FP + FN > 0 }                  (c occurs in the ground truth or the prediction)
 *   mIoU    = Σ_{c ∈ present} IoU_c / |present|         (NaN when no class is present)
 *   pixel accuracy = Σ_c n[c][c] / Σ_{t,p} n[t][p]      (NaN when nothing was counted)
 * </pre>
 *
 * <p>Instances are safe to share between threads.
 */
final class ConfusionMatrix {

    private final int numClasses;
    private final long[] counts;

    /**
     * Creates an all-zero matrix.
     *
     * @param numClasses the number of classes C, at least 1
     */
    public ConfusionMatrix(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be at least 1, got " + numClasses);
        }
        this.numClasses = numClasses;
        this.counts = new long[numClasses * numClasses];
    }

    /**
     * Creates a matrix from row-major counts.
     *
     * @param numClasses the number of classes C
     * @param rowMajor C·C non-negative counts, {@code rowMajor[t·C + p] = n[t][p]}
     * @return the matrix
     */
    public static ConfusionMatrix of(int numClasses, long... rowMajor) {
        ConfusionMatrix matrix = new ConfusionMatrix(numClasses);
        matrix.add(rowMajor);
        return matrix;
    }

    /** @return the number of classes C */
    public int getNumClasses() {
        return numClasses;
    }

    /**
     * Adds row-major counts to this matrix.
     *
     * @param rowMajor C·C non-negative counts, {@code rowMajor[t·C + p]} for truth t, prediction p
     */
    public synchronized void add(long... rowMajor) {
        if (rowMajor.length != counts.length) {
            throw new IllegalArgumentException(
                    "expected " + counts.length + " counts (" + numClasses + "×" + numClasses
                            + "), got " + rowMajor.length);
        }
        for (long count : rowMajor) {
            if (count < 0) {
                throw new IllegalArgumentException("counts must be non-negative, got " + count);
            }
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += rowMajor[i];
        }
    }

    /** Sets every count to zero. */
    public synchronized void reset() {
        Arrays.fill(counts, 0L);
    }

    /**
     * Returns one count.
     *
     * @param truth the ground-truth class t
     * @param predicted the predicted class p
     * @return {@code n[t][p]}
     */
    public synchronized long get(int truth, int predicted) {
        return counts[truth * numClasses + predicted];
    }

    /** @return the number of counted pixels, {@code Σ n[t][p]} */
    public synchronized long total() {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        return total;
    }

    /**
     * Returns the pixel accuracy: the share of counted pixels whose prediction is their
     * ground-truth class, pooled over all classes,
     *
     * <pre>
     *   pixel accuracy = trace / total = Σ_c n[c][c] / Σ_{t,p} n[t][p]
     * </pre>
     *
     * <p>Unlike {@link #meanIoU()} it weights classes by their pixel count, so a large background
     * dominates it.
     *
     * @return the pixel accuracy in [0, 1], NaN when nothing was counted (total 0)
     */
    public synchronized double pixelAccuracy() {
        long correct = 0;
        for (int c = 0; c < numClasses; c++) {
            correct += counts[c * numClasses + c];
        }
        long total = total();
        return total > 0 ? (double) correct / total : Double.NaN;
    }

    /** @return a copy of the counts as {@code [truth][predicted]} */
    public synchronized long[][] toArray() {
        long[][] rows = new long[numClasses][];
        for (int t = 0; t < numClasses; t++) {
            rows[t] = Arrays.copyOfRange(counts, t * numClasses, (t + 1) * numClasses);
        }
        return rows;
    }

    /** @return {@code TP + FP + FN} per class: the size of the union of truth and prediction */
    public synchronized long[] unions() {
        long[] union = new long[numClasses];
        for (int t = 0; t < numClasses; t++) {
            for (int p = 0; p < numClasses; p++) {
                long n = counts[t * numClasses + p];
                union[t] += n;
                if (p != t) {
                    union[p] += n;
                }
            }
        }
        return union;
    }

    /** @return per class, whether it is present: {@code TP + FP + FN > 0} */
    public boolean[] presentClasses() {
        long[] union = unions();
        boolean[] present = new boolean[numClasses];
        for (int c = 0; c < numClasses; c++) {
            present[c] = union[c] > 0;
        }
        return present;
    }

    /** @return {@code IoU_c = TP / (TP + FP + FN)} per class, NaN for classes not present */
    public double[] classIoU() {
        long[] union;
        long[] diagonal = new long[numClasses];
        synchronized (this) {
            union = unions();
            for (int c = 0; c < numClasses; c++) {
                diagonal[c] = counts[c * numClasses + c];
            }
        }
        double[] iou = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            iou[c] = union[c] > 0 ? (double) diagonal[c] / union[c] : Double.NaN;
        }
        return iou;
    }

    /** @return the mean of {@link #classIoU()} over present classes, NaN if none is present */
    public double meanIoU() {
        double sum = 0;
        int present = 0;
        for (double iou : classIoU()) {
            if (!Double.isNaN(iou)) {
                sum += iou;
                present++;
            }
        }
        return present > 0 ? sum / present : Double.NaN;
    }

    /** {@inheritDoc} */
    @Override
    public synchronized String toString() {
        return "ConfusionMatrix" + Arrays.deepToString(toArray());
    }
}
