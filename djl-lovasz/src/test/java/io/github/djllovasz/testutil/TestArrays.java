package io.github.djllovasz.testutil;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that gives a test class its {@link NDManager}, and small array factories on
 * that manager. Register it on a field:
 *
 * <pre>{@code
 * @RegisterExtension final TestArrays arrays = TestArrays.perTest();          // one manager per test
 * @RegisterExtension static final TestArrays arrays = TestArrays.perClass();  // one per class
 * }</pre>
 *
 * The manager is a new base manager opened before each test (or before all tests of the class)
 * and closed after it (or after all of them), with every array made on it.
 */
public final class TestArrays
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final boolean perClass;
    private NDManager manager;

    private TestArrays(boolean perClass) {
        this.perClass = perClass;
    }

    /**
     * A manager per test; register on an instance field.
     *
     * @return the extension
     */
    public static TestArrays perTest() {
        return new TestArrays(false);
    }

    /**
     * One manager for all tests of the class; register on a static field.
     *
     * @return the extension
     */
    public static TestArrays perClass() {
        return new TestArrays(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (perClass) {
            open();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (perClass) {
            close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            open();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            close();
        }
    }

    private void open() {
        manager = NDManager.newBaseManager();
    }

    private void close() {
        if (manager != null) {
            manager.close();
            manager = null;
        }
    }

    /**
     * The open manager of the current test (or class).
     *
     * @return the manager
     * @throws IllegalStateException outside a test, or for {@link #perClass()} on an instance field
     */
    public NDManager manager() {
        if (manager == null) {
            throw new IllegalStateException(
                    "no open NDManager: register TestArrays with @RegisterExtension (perClass() on a static"
                            + " field) and use it inside a test");
        }
        return manager;
    }

    /**
     * Float32 logits from the engine's {@code randomNormal} (N(0, 1), not seeded): for checks whose
     * outcome does not depend on the values. Seeded values come from {@link #seeded(long)}.
     *
     * @param shape the shape
     * @return the array
     */
    public NDArray logits(long... shape) {
        return manager().randomNormal(new Shape(shape));
    }

    /**
     * Int64 labels that all hold one value.
     *
     * @param value the label of every pixel
     * @param shape the shape
     * @return the array
     */
    public NDArray labels(long value, long... shape) {
        return manager().full(new Shape(shape), value, DataType.INT64);
    }

    /**
     * A float64 array of the given values.
     *
     * @param values the values, row-major
     * @param shape the shape
     * @return the array
     */
    public NDArray create(double[] values, long... shape) {
        return manager().create(values, new Shape(shape));
    }

    /**
     * An int64 array of the given values.
     *
     * @param values the values, row-major
     * @param shape the shape
     * @return the array
     */
    public NDArray create(long[] values, long... shape) {
        return manager().create(values, new Shape(shape));
    }

    /**
     * Seeded random values and arrays on this extension's manager (the manager of the test that
     * makes them). Safe to call in a field initialiser: no manager is needed until an array is made.
     *
     * @param seed the seed of the {@link java.util.Random}
     * @return the generator
     */
    public SeededArrays seeded(long seed) {
        return new SeededArrays(this::manager, seed);
    }
}
