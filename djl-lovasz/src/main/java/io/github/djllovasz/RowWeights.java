package io.github.djllovasz;

import java.util.Arrays;

/**
 * Step 5 of the pipeline, decided before the sort: which rows take part and with what
 * coefficient, so that the loss is one dot product {@code Σ_r coef_r · L_r}.
 *
 * <p>Rows are grouped as {@code [groups × classes]} (groups are images with {@code perImage}, else
 * one). Row {@code (g, c)} has weight {@code w = m_c · [F_{g,c} > 0 if PRESENT]}, where {@code m_c}
 * is the multiplicity of class c in the selection and {@code F_{g,c}} its count of valid
 * foreground pixels in group g, and
 *
 * <pre>
 *   loss = (1 / groups) · Σ_g Σ_c w_{g,c} · L_{g,c} / Σ_c w_{g,c}    (a group whose Σ w = 0 adds 0)
 * </pre>
 *
 * <p>Rows of weight 0 are never sorted. This is bookkeeping over {@code groups × classes} numbers on
 * the host; all per-pixel work stays vectorised.
 *
 * @param rows the indices of the rows that take part, ascending, or {@code null} for all rows
 * @param coefficients the coefficient of each row that takes part
 */
public record RowWeights(long[] rows, double[] coefficients) {

    /**
     * Weights for class-averaged rows.
     *
     * @param multiplicities how often each class is selected, length {@code classes}
     * @param present whether each row {@code [groups × classes]} has a valid foreground pixel,
     *     or {@code null} to keep absent classes (ALL or a list)
     * @param groups the number of groups
     * @return the weights
     */
    public static RowWeights classAverage(
            double[] multiplicities, boolean[] present, int groups) {
        int classes = multiplicities.length;
        double[] weight = new double[groups * classes];
        long[] kept = new long[weight.length];
        double[] coefficients = new double[weight.length];
        int numKept = 0;
        for (int g = 0; g < groups; g++) {
            double norm = 0;
            for (int c = 0; c < classes; c++) {
                int r = g * classes + c;
                weight[r] = present == null || present[r] ? multiplicities[c] : 0;
                norm += weight[r];
            }
            for (int c = 0; c < classes; c++) {
                int r = g * classes + c;
                if (weight[r] > 0) {
                    kept[numKept] = r;
                    coefficients[numKept++] = weight[r] / (norm * groups);
                }
            }
        }
        if (numKept == 0) {
            // Nothing selected: keep one row with coefficient 0, so the loss is 0 with a zero
            // gradient that still reaches the predictions.
            return new RowWeights(new long[] {0}, new double[] {0});
        }
        if (numKept == weight.length) {
            return new RowWeights(null, coefficients);
        }
        return new RowWeights(Arrays.copyOf(kept, numKept), Arrays.copyOf(coefficients, numKept));
    }

    /** @return whether every row takes part */
    public boolean allRows() {
        return rows == null;
    }
}
