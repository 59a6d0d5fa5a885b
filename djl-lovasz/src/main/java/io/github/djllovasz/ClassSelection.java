package io.github.djllovasz;

import java.util.Arrays;
import java.util.Objects;

/**
 * Which classes the Lovász-Softmax loss averages over.
 *
 * <ul>
 *   <li>{@link #PRESENT}: the classes that have at least one (non-ignored) pixel of ground truth,
 *       counted per image with {@code perImage}; the original's default {@code 'present'}.
 *   <li>{@link #ALL}: every class {@code 0..C-1}, absent ones included (an absent class costs
 *       {@code max_i p_i(c)}); the original's {@code 'all'}.
 *   <li>{@link #of(int...)}: an explicit list of class ids, absent ones included. A repeated id
 *       counts as often as it is listed, as in the original.
 * </ul>
 *
 * <p>Selection is compared by value (the original's {@code 'present'} is tested by identity, so an
 * equal string built at run time silently behaves like {@code 'all'} there).
 */
public final class ClassSelection {

    /** Averages over the classes present in the ground truth. */
    public static final ClassSelection PRESENT = new ClassSelection(Mode.PRESENT, null);

    /** Averages over all classes. */
    public static final ClassSelection ALL = new ClassSelection(Mode.ALL, null);

    private final Mode mode;
    private final int[] ids;

    private ClassSelection(Mode mode, int[] ids) {
        this.mode = mode;
        this.ids = ids;
    }

    /**
     * Averages over the given class ids.
     *
     * @param classIds the class ids, each {@code >= 0}; at least one
     * @return the selection
     * @throws IllegalArgumentException if the list is empty or holds a negative id
     */
    public static ClassSelection of(int... classIds) {
        Objects.requireNonNull(classIds, "classIds");
        if (classIds.length == 0) {
            throw new IllegalArgumentException("class list is empty: name at least one class id");
        }
        for (int id : classIds) {
            if (id < 0) {
                throw new IllegalArgumentException(
                        "class list " + Arrays.toString(classIds) + " holds a negative id " + id);
            }
        }
        return new ClassSelection(Mode.LIST, classIds.clone());
    }

    /** @return true for {@link #PRESENT} */
    public boolean isPresent() {
        return mode == Mode.PRESENT;
    }

    /** @return true for {@link #ALL} */
    public boolean isAll() {
        return mode == Mode.ALL;
    }

    /** @return a copy of the explicit class ids, or {@code null} for ALL and PRESENT */
    public int[] getClassIds() {
        return ids == null ? null : ids.clone();
    }

    /**
     * Returns how often each class takes part in the average, before the PRESENT test.
     *
     * @param numClasses the number of classes C (C = 1 means the single foreground class 1)
     * @return one multiplicity per class row
     * @throws IllegalArgumentException if a listed id does not exist for C classes
     */
    double[] multiplicities(int numClasses) {
        double[] weights = new double[numClasses];
        if (ids == null) {
            Arrays.fill(weights, 1.0);
            return weights;
        }
        for (int id : ids) {
            if (numClasses == 1) {
                if (id != 1) {
                    throw new IllegalArgumentException(
                            "with C = 1 (sigmoid mode) the only class is the foreground label 1,"
                                    + " but the class list is " + Arrays.toString(ids));
                }
                weights[0] += 1;
            } else {
                if (id >= numClasses) {
                    throw new IllegalArgumentException(
                            "class list "
                                    + Arrays.toString(ids)
                                    + " names class "
                                    + id
                                    + ", but predictions have only C = "
                                    + numClasses
                                    + " classes");
                }
                weights[id] += 1;
            }
        }
        return weights;
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ClassSelection)) {
            return false;
        }
        ClassSelection that = (ClassSelection) o;
        return mode == that.mode && Arrays.equals(ids, that.ids);
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return 31 * mode.hashCode() + Arrays.hashCode(ids);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        switch (mode) {
            case PRESENT:
                return "present";
            case ALL:
                return "all";
            default:
                return Arrays.toString(ids);
        }
    }

    private enum Mode {
        PRESENT,
        ALL,
        LIST
    }
}
