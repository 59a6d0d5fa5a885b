package io.github.djllovasz;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Everything that differs between DJL's engines, in one place.
 *
 * <ul>
 *   <li><b>In-place updates</b> ({@link #scratch}): counts, weights and sort keys carry no
 *       gradient, so on PyTorch they are updated in place, sparing a large buffer per step. MXNet
 *       refuses any in-place update while a gradient collector records, so there each step
 *       allocates. Results are identical.
 *   <li><b>Half precision</b> ({@link #widen}): float16 and bfloat16 predictions are widened to
 *       float32 first. PyTorch's cast through DJL leaves the autograd graph, so there the widening
 *       is a product with a float32 one (the gradient is cast back to the input's type).
 *   <li><b>Host arrays</b> ({@link #copyLongs}, {@link #copyDoubles}): DJL's PyTorch engine wraps
 *       Java arrays without copying them, and that memory goes with the Java buffer; an array the
 *       autograd graph keeps (row indices, coefficients) would then be read after it was freed by
 *       a backward pass that runs after the loss's scope closed. Such arrays are copied into
 *       engine-owned memory; for the same reason scalar operands the autograd graph keeps are
 *       engine-owned constants ({@link #constant}).
 *   <li><b>The sort and the final dot product</b> ({@link #sortDecreasing}, {@link
 *       #alignForDot}): {@code topK} and an {@code index_put} on PyTorch, {@code argSort} and a
 *       {@code take} on MXNet, which has neither {@code topK} nor {@code put}.
 *   <li><b>Shifted differences</b> ({@link #differences}): in place on PyTorch, a concat elsewhere.
 *   <li><b>Host memory</b> for {@link HostKernel} ({@link #hostView}, {@link #hostOutput}): on
 *       PyTorch's CPU the kernel reads and writes the arrays' own memory through direct buffers
 *       (its output is a fresh engine array, so autograd owns what it keeps). MXNet copies every
 *       array into a fresh direct buffer that only a garbage collection would free (the soak
 *       test's resident set grew 38 % in 2,000 calls), so there the kernel frees each copy as
 *       soon as it is read ({@link #releaseHostView}), and its output goes in by one copy.
 * </ul>
 */
final class EngineQuirks {

    private EngineQuirks() {}

    /** {@code sun.misc.Unsafe#invokeCleaner}, or {@code null} where the JDK does not offer it. */
    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;

    static {
        Object unsafe = null;
        Method invokeCleaner = null;
        try {
            Class<?> type = Class.forName("sun.misc.Unsafe");
            Field field = type.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            unsafe = field.get(null);
            invokeCleaner = type.getMethod("invokeCleaner", ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // the copies are then freed by the garbage collector
        }
        UNSAFE = unsafe;
        INVOKE_CLEANER = invokeCleaner;
    }

    /** Whether arrays of this manager live on the PyTorch engine. */
    static boolean isPyTorch(NDManager manager) {
        return "PyTorch".equals(manager.getEngine().getEngineName());
    }

    /**
     * Returns float16 and bfloat16 arrays as float32 (differentiably), others unchanged.
     *
     * @param array the predictions
     * @return the array to compute with
     */
    static NDArray widen(NDArray array) {
        DataType type = array.getDataType();
        if (type != DataType.FLOAT16 && type != DataType.BFLOAT16) {
            return array;
        }
        if (isPyTorch(array.getManager())) {
            return array.mul(array.getManager().ones(new Shape(1), DataType.FLOAT32));
        }
        return array.toType(DataType.FLOAT32, false);
    }

    /**
     * An engine-owned int64 array of Java values.
     *
     * @param manager the manager (and device) of the result
     * @param values the values
     * @return the array
     */
    static NDArray copyLongs(NDManager manager, long[] values) {
        try (NDArray wrapped = manager.create(values)) {
            return wrapped.duplicate();
        }
    }

    /**
     * An engine-owned float64 array of Java values.
     *
     * @param manager the manager (and device) of the result
     * @param values the values
     * @return the array
     */
    static NDArray copyDoubles(NDManager manager, double[] values) {
        try (NDArray wrapped = manager.create(values)) {
            return wrapped.duplicate();
        }
    }

    /** Whether the host kernel can use this array's own memory (PyTorch, on the CPU). */
    private static boolean sharesHostMemory(NDArray array) {
        return isPyTorch(array.getManager()) && array.getDevice().equals(Device.cpu());
    }

    /**
     * The contents of an array as a direct buffer in native byte order: a view of its memory on
     * PyTorch's CPU, a copy elsewhere (to be given back with {@link #releaseHostView}).
     *
     * @param array the array
     * @return the buffer, read only by contract
     */
    static ByteBuffer hostView(NDArray array) {
        return array.toByteBuffer(true).order(ByteOrder.nativeOrder());
    }

    /**
     * Frees a copy made by {@link #hostView} at once (no-op for a view).
     *
     * @param array the array it was read from
     * @param view the buffer, not to be used afterwards
     */
    static void releaseHostView(NDArray array, ByteBuffer view) {
        if (!sharesHostMemory(array)) {
            free(view);
        }
    }

    private static void free(ByteBuffer buffer) {
        if (INVOKE_CLEANER != null && buffer.isDirect()) {
            try {
                INVOKE_CLEANER.invoke(UNSAFE, buffer);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // left to the garbage collector (a slice or duplicate cannot be freed)
            }
        }
    }

    /**
     * A fresh array of the values' shape, type and device, written from the host: on PyTorch an
     * engine array written through a view of its memory (on the CPU, then moved where the values
     * are); elsewhere a direct buffer copied into a new engine array.
     *
     * @param values the array whose shape, type, manager and device the result takes
     * @return the output, to be written through {@link HostOutput#buffer} and then {@link
     *     HostOutput#finish finished}
     */
    static HostOutput hostOutput(NDArray values) {
        Shape shape = values.getShape();
        DataType type = values.getDataType();
        NDManager manager = values.getManager();
        if (isPyTorch(manager)) {
            NDManager cpu =
                    values.getDevice().equals(Device.cpu())
                            ? manager
                            : manager.newSubManager(Device.cpu());
            NDArray written = cpu.create(shape, type);
            return new HostOutput(hostView(written), () -> {
                if (cpu == manager) {
                    return written;
                }
                NDArray moved = written.toDevice(values.getDevice(), true);
                moved.attach(manager);
                cpu.close();
                return moved;
            });
        }
        ByteBuffer buffer =
                ByteBuffer.allocateDirect(Math.toIntExact(shape.size() * type.getNumOfBytes()))
                        .order(ByteOrder.nativeOrder());
        return new HostOutput(buffer, () -> {
            NDArray result = manager.create(shape, type);
            result.set(buffer);
            free(buffer);
            return result;
        });
    }

    /** An array being written from the host ({@link #hostOutput}). */
    static final class HostOutput {
        /** Where to write the array's contents, row-major, in native byte order. */
        final ByteBuffer buffer;
        private final Supplier<NDArray> finisher;

        HostOutput(ByteBuffer buffer, Supplier<NDArray> finisher) {
            this.buffer = buffer;
            this.finisher = finisher;
        }

        /** @return the array, once every entry of the buffer is written */
        NDArray finish() {
            return finisher.get();
        }
    }

    /**
     * The rows of an {@code [R, N]} array of errors in decreasing order.
     *
     * @param errors the errors (detached)
     * @return the sorted errors and where each came from
     */
    static Order sortDecreasing(NDArray errors) {
        NDManager manager = errors.getManager();
        long rows = errors.getShape().get(0);
        long length = errors.getShape().get(1);
        NDArray rowStarts =
                manager.arange(0, Math.toIntExact(rows), 1, DataType.INT64).mul(length).reshape(rows, 1);
        if (isPyTorch(manager)) {
            // topK of every element returns the sorted values with their indices, and is a few
            // per cent faster than argSort (which sorts the values too but returns only indices).
            NDList top = errors.topK(Math.toIntExact(length), 1, true, true);
            NDArray flat = scratch(top.get(1)).add(rowStarts).get();
            return new Order(top.get(0), flat);
        }
        // MXNet has no topK: an ascending argSort of the negated errors (a descending one costs
        // a flip copy), and one take of the errors.
        NDArray flat =
                scratch(errors.neg().argSort(1, true).toType(DataType.INT64, false)).add(rowStarts).get();
        return new Order(errors.take(flat), flat);
    }

    /**
     * The two operands of {@code Σ_k factors[r, k] · values[r, π_r(k)]}, where {@code π_r(k)} is
     * the pixel at sorted position {@code k}, in a common order: differentiable in the values
     * only. On PyTorch the factors go back to pixel order (one index_put, no autograd), so that
     * the backward pass is elementwise (a take's backward is a scatter-add, {@code put_} with
     * accumulation, which profiled slower than this forward {@code index_put_}). Elsewhere (MXNet
     * has no put) the values are taken in sorted order.
     *
     * @param values {@code [R, N]} in pixel order
     * @param order the sort of the rows
     * @param factors {@code [R, N]} in sorted order, of the values' type
     * @return {@code {values', factors'}}, both {@code [R, N]} in one order
     */
    static NDArray[] alignForDot(NDArray values, Order order, NDArray factors) {
        if (isPyTorch(values.getManager())) {
            NDArray inPixelOrder = order.sortedErrors; // every entry is overwritten
            inPixelOrder
                    .reshape(-1)
                    .set(new NDIndex("{}", order.flatIndex.reshape(-1)), factors.reshape(-1));
            return new NDArray[] {values, inPixelOrder};
        }
        return new NDArray[] {values.take(order.flatIndex), factors};
    }

    /** Rows sorted by decreasing error: the sorted errors and the flat index of each. */
    static final class Order {
        /** The errors in decreasing order along each row, {@code [R, N]}. */
        final NDArray sortedErrors;
        /** For each sorted position, the flat index {@code r·N + pixel} into {@code [R, N]}. */
        final NDArray flatIndex;

        Order(NDArray sortedErrors, NDArray flatIndex) {
            this.sortedErrors = sortedErrors;
            this.flatIndex = flatIndex;
        }
    }

    /**
     * {@code d[r, k] = x[r, k] − x[r, k − 1]} along the rows, with {@code x[r, −1] = 0}. On
     * PyTorch {@code x} is overwritten and {@code spare} (same shape, no longer needed) holds
     * the shifted copy; elsewhere the differences are a fresh array.
     *
     * @param x {@code [R, N]}, owned by the caller and needing no gradient
     * @param spare {@code [R, N]} of x's type that the caller no longer needs
     * @return the differences
     */
    static NDArray differences(NDArray x, NDArray spare) {
        long length = x.getShape().get(1);
        if (length == 1) {
            return x;
        }
        NDIndex allButLast = new NDIndex(":, :" + (length - 1));
        if (isPyTorch(x.getManager())) {
            spare.set(new NDIndex(":, 1:"), x.get(allButLast));
            spare.set(new NDIndex(":, :1"), 0);
            return x.subi(spare);
        }
        NDArray rest = x.get(new NDIndex(":, 1:")).sub(x.get(allButLast));
        return x.get(new NDIndex(":, :1")).concat(rest, 1);
    }

    /**
     * Starts a chain of elementwise updates of an array that the caller owns and that needs no
     * gradient: in place where the engine allows it.
     *
     * @param value the array (it may be overwritten)
     * @return the chain
     */
    static Scratch scratch(NDArray value) {
        return new Scratch(value, isPyTorch(value.getManager()));
    }

    /** A chain of elementwise updates, in place on PyTorch, allocating elsewhere. */
    static final class Scratch {
        private NDArray value;
        private final boolean inPlace;

        private Scratch(NDArray value, boolean inPlace) {
            this.value = value;
            this.inPlace = inPlace;
        }

        private Scratch update(UnaryOperator<NDArray> inPlaceOp, UnaryOperator<NDArray> freshOp) {
            value = inPlace ? inPlaceOp.apply(value) : freshOp.apply(value);
            return this;
        }

        Scratch add(NDArray other) { return update(v -> v.addi(other), v -> v.add(other)); }

        Scratch add(Number other) { return update(v -> v.addi(other), v -> v.add(other)); }

        Scratch sub(NDArray other) { return update(v -> v.subi(other), v -> v.sub(other)); }

        Scratch sub(Number other) { return update(v -> v.subi(other), v -> v.sub(other)); }

        Scratch mul(NDArray other) { return update(v -> v.muli(other), v -> v.mul(other)); }

        Scratch mul(Number other) { return update(v -> v.muli(other), v -> v.mul(other)); }

        Scratch neg() { return update(NDArray::negi, NDArray::neg); }

        /** @return the current value */
        NDArray get() {
            return value;
        }
    }

    // Scalars. Why engine-owned constants: DJL's PyTorch mul/div/pow(Number) wrap the number in a
    // temporary array over Java-owned memory that the autograd graph keeps (BackwardAfterScopeTest).

    /**
     * The value as a {@code Double} for float64 arrays, as a {@code Float} otherwise: for operands
     * that the autograd graph does not keep (comparisons, additions, arrays without gradient).
     *
     * @param type the array's type
     * @param value the value
     * @return the operand
     */
    static Number scalar(DataType type, double value) {
        return type == DataType.FLOAT64 ? (Number) value : (Number) (float) value;
    }

    /**
     * An engine-owned scalar constant in the type of {@code like}, on its manager and device.
     *
     * @param like the array it will be combined with
     * @param value the value
     * @return a 0-dimensional array
     */
    static NDArray constant(NDArray like, double value) {
        NDArray wide = EngineQuirks.copyDoubles(like.getManager(), new double[] {value}).sum();
        return like.getDataType() == DataType.FLOAT64 ? wide : wide.toType(like.getDataType(), false);
    }
}
