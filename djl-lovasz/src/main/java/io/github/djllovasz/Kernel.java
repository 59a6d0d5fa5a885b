package io.github.djllovasz;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import java.util.Locale;

/**
 * Where a Lovász loss sorts its errors and computes the Jaccard weights: the only part of the
 * loss that is not elementwise. Both kernels give the same loss; where errors tie, the order among
 * tied pixels (and so how the gradient is shared among them) may differ, and both are valid
 * subgradients. See docs/how-it-works.md.
 *
 * <ul>
 *   <li>{@link #ENGINE}: a sort of every row on the engine ({@code topK} on PyTorch, {@code
 *       argSort} on MXNet), then cumulative sums. Works on every device; the reference.
 *   <li>{@link #HOST}: the values and class ids are read in place from the arrays' memory in
 *       Java (no transposed copy of the rows), sorted with a linear radix sort on the CPU's cores,
 *       and the weights computed in one pass; the engine receives the slope of each value, in
 *       the values' own layout, and computes one dot product. Several times cheaper than the engine's comparison
 *       sort on the CPU. Arrays on another device are copied to the host and back.
 *   <li>{@link #AUTO} (default): {@code HOST} for arrays on the CPU, {@code ENGINE} on any other
 *       device (a GPU) and for rows too large for one Java buffer (more than 2^31 − 1 bytes in
 *       all). The system property {@code lovasz.kernel=engine|host} makes {@code AUTO} mean one
 *       kernel everywhere (the tests run both this way).
 * </ul>
 */
public enum Kernel {
    /** {@link #HOST} on the CPU, {@link #ENGINE} elsewhere. */
    AUTO,
    /** The engine's sort. */
    ENGINE,
    /** A radix sort on the host. */
    HOST;

    /** The system property that decides what {@link #AUTO} means: engine, host, or auto. */
    public static final String PROPERTY = "lovasz.kernel";

    /**
     * The kernel that runs for these values.
     *
     * @param values the values the rows are made of (the predictions)
     * @return {@link #ENGINE} or {@link #HOST}
     * @throws IllegalArgumentException if {@code HOST} is asked for rows that no Java buffer holds
     */
    Kernel resolve(NDArray values) {
        boolean fits = HostKernel.fits(values);
        if (this == AUTO && !fits && fromProperty() == AUTO) {
            return ENGINE;
        }
        Kernel chosen = choose(values.getDevice());
        if (chosen == HOST && !fits) {
            throw new IllegalArgumentException(
                    "Kernel.HOST cannot hold values of shape " + values.getShape() + " ("
                            + values.getDataType() + ") in one Java buffer (at most 2^31 − 1 bytes);"
                            + " use Kernel.ENGINE or AUTO");
        }
        return chosen;
    }

    /**
     * The kernel this choice runs for arrays on a device (rows that fit one Java buffer):
     * {@code ENGINE} or {@code HOST} as chosen, {@code AUTO} as the system property {@value
     * #PROPERTY} says or, without it, {@code HOST} on the CPU and {@code ENGINE} elsewhere.
     *
     * @param device the device of the predictions
     * @return {@link #ENGINE} or {@link #HOST}
     * @throws IllegalArgumentException if the system property is not engine, host or auto
     */
    public Kernel choose(Device device) {
        Kernel chosen = this == AUTO ? fromProperty() : this;
        if (chosen != AUTO) {
            return chosen;
        }
        return device.getDeviceType().equals(Device.Type.CPU) ? HOST : ENGINE;
    }

    private static Kernel fromProperty() {
        String value = System.getProperty(PROPERTY, "auto").trim();
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "system property " + PROPERTY + " must be engine, host or auto, got '" + value + "'", e);
        }
    }
}
