package io.github.djllovasz.testutil;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;

/** The number of arrays a manager holds open, against the number when this was made. */
public final class LiveArrays {

    private final BaseNDManager manager;
    private final int start;

    private LiveArrays(BaseNDManager manager) {
        this.manager = manager;
        this.start = count(manager);
    }

    /**
     * Starts counting the arrays of a manager: the arrays it holds now are the start.
     *
     * @param manager a manager of DJL's base type (every engine's)
     * @return the counter
     */
    public static LiveArrays of(NDManager manager) {
        return new LiveArrays((BaseNDManager) manager);
    }

    /**
     * The arrays a manager holds open now.
     *
     * @param manager a manager of DJL's base type
     * @return how many
     */
    public static int count(NDManager manager) {
        return ((BaseNDManager) manager).getManagedArrays().size();
    }

    /** @return the arrays the manager held when counting started */
    public int atStart() {
        return start;
    }

    /** @return the arrays the manager holds now */
    public int now() {
        return count(manager);
    }

    /**
     * Asserts the manager holds as many arrays as at the start.
     *
     * @param message the failure message
     */
    public void assertUnchanged(String message) {
        assertEquals(start, now(), message);
    }
}
