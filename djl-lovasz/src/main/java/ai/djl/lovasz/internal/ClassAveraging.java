package ai.djl.lovasz.internal;

import ai.djl.lovasz.ClassSelection;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Step 5 of the pipeline: class selection as row weights, then the mean over classes and over
 * groups (images with {@code perImage}).
 *
 * <pre>
 *   loss = mean_groups( Σ_c w_c·L_c / Σ_c w_c ),   0 for a group whose Σ_c w_c = 0
 * </pre>
 *
 * <p>{@code w_c} is the multiplicity of class c in the selection, times {@code [F_c > 0]} for
 * PRESENT, where {@code F_c} counts the group's valid foreground pixels of class c.
 */
public final class ClassAveraging {

    private ClassAveraging() {}

    /**
     * Averages row losses over the selected classes, then over groups.
     *
     * @param rowLosses the per-row losses and foreground counts, rows grouped as
     *     {@code [groups × numClasses]}
     * @param multiplicities how often each class is selected ({@link
     *     ClassSelection#multiplicities(int)})
     * @param presentOnly whether classes without foreground in a group drop out of its mean
     * @param groups the number of groups
     * @param numClasses the rows per group
     * @return the scalar loss
     */
    public static NDArray average(
            LovaszKernel.RowLosses rowLosses,
            double[] multiplicities,
            boolean presentOnly,
            long groups,
            int numClasses) {
        NDArray losses = rowLosses.losses().reshape(groups, numClasses);
        DataType type = losses.getDataType();
        NDArray weights =
                losses.getManager()
                        .create(multiplicities)
                        .toType(type, false)
                        .reshape(1, numClasses);
        if (presentOnly) {
            NDArray present =
                    rowLosses.foregroundCounts().gt(0).toType(type, false).reshape(groups, numClasses);
            weights = weights.mul(present);
        }
        NDArray total = losses.mul(weights).sum(new int[] {1});
        NDArray norm = weights.sum(new int[] {1});
        // A group with no selected class contributes 0 and still counts in the mean.
        norm = norm.add(norm.eq(0).toType(type, false));
        return total.div(norm).mean();
    }
}
