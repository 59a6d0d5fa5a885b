package io.github.djllovasz.benchmarks;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The inputs of one benchmark trial, all float32 on the chosen device in one manager: logits
 * that require a gradient, their labels, the labels cross-entropy takes, and (for the floor) the
 * error matrix and foreground matrix the loss would sort and count.
 */
public final class BenchInputs implements AutoCloseable {

    private static volatile Device chosen;
    private static boolean reported;

    private final BenchShape shape;
    private final LabelKind kind;
    private final NDManager manager;
    private final NDArray logits;
    private final NDArray labels;
    private final NDArray crossEntropyLabels;
    private NDArray floorErrors;
    private NDArray floorForeground;

    private BenchInputs(BenchShape shape, LabelKind kind, boolean binary, long seed) {
        reportOnce();
        this.shape = shape;
        this.kind = kind;
        this.manager = NDManager.newBaseManager(device());
        Engine.getInstance().setRandomSeed((int) seed);
        Shape predictionShape = shape.predictionShape();
        this.logits = manager.randomNormal(predictionShape, DataType.FLOAT32);
        logits.setRequiresGradient(true);
        int[] hostLabels = LabelMaps.generate(kind, shape, seed);
        this.labels = manager.create(hostLabels, shape.labelShape()).toType(DataType.INT64, false);
        // Cross-entropy has no ignore index here: ignored pixels count as class 0 (for scale only).
        int[] dense = hostLabels.clone();
        for (int i = 0; i < dense.length; i++) {
            if (dense[i] == LabelMaps.IGNORE_INDEX) {
                dense[i] = 0;
            }
        }
        Shape withAxis = new Shape(shape.batch(), 1, shape.height(), shape.width());
        this.crossEntropyLabels =
                manager.create(dense, withAxis).toType(binary ? DataType.FLOAT32 : DataType.INT64, false);
    }

    /** Prints, once per JVM (into JMH's log for a fork), what the process runs with. */
    private static synchronized void reportOnce() {
        if (!reported) {
            reported = true;
            System.out.println("[inputs] device " + device() + ", GLIBC_TUNABLES="
                    + System.getenv("GLIBC_TUNABLES") + ", ai.djl.pytorch.num_threads="
                    + System.getProperty("ai.djl.pytorch.num_threads"));
        }
    }

    /**
     * The device every benchmark runs on: the first GPU when the engine sees one, else the CPU.
     *
     * @return the device
     */
    public static Device device() {
        Device device = chosen;
        if (device == null) {
            device = Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
            chosen = device;
        }
        return device;
    }

    /**
     * Inputs for Lovász-Softmax: logits {@code [B, C, H, W]}, labels {@code [B, H, W]} int64.
     *
     * @param shape the shape (C ≥ 2)
     * @param kind the label kind
     * @param seed the random seed
     * @return the inputs
     */
    public static BenchInputs softmax(BenchShape shape, LabelKind kind, long seed) {
        return new BenchInputs(shape, kind, false, seed);
    }

    /**
     * Inputs for the Lovász hinge: logits {@code [B, 1, H, W]}, 0/1 labels {@code [B, H, W]}.
     *
     * @param shape the shape (C = 1)
     * @param kind the label kind
     * @param seed the random seed
     * @return the inputs
     */
    public static BenchInputs hinge(BenchShape shape, LabelKind kind, long seed) {
        if (shape.classes() != 1) {
            throw new IllegalArgumentException("the hinge takes one logit per pixel (C = 1), got " + shape);
        }
        return new BenchInputs(shape, kind, true, seed);
    }

    /**
     * Builds the floor's matrices for Lovász-Softmax: errors {@code |fg − p|} and foreground
     * {@code [C, B·H·W]}, or {@code [B·C, H·W]} per image.
     *
     * @param perImage the row layout
     */
    public void prepareSoftmaxFloor(boolean perImage) {
        int b = shape.batch();
        int c = shape.classes();
        long hw = shape.imagePixels();
        NDArray probas = logits.stopGradient().softmax(1);
        NDArray classIds = manager.arange(0, c, 1, DataType.INT64);
        NDArray rows;
        NDArray foreground;
        if (perImage) {
            rows = probas.reshape(b * (long) c, hw);
            foreground = labels.reshape(b, 1, hw).eq(classIds.reshape(1, c, 1)).reshape(b * (long) c, hw);
        } else {
            rows = probas.transpose(1, 0, 2, 3).reshape(c, b * hw);
            foreground = labels.reshape(1, b * hw).eq(classIds.reshape(c, 1));
        }
        setFloor(rows, foreground.toType(DataType.FLOAT32, false));
    }

    /**
     * Builds the floor's matrices for the hinge: errors {@code 1 − s·(2y − 1)} and foreground
     * {@code [B, H·W]}, or {@code [1, B·H·W]} pooled.
     *
     * @param perImage the row layout
     */
    public void prepareHingeFloor(boolean perImage) {
        long rowsCount = perImage ? shape.batch() : 1;
        NDArray scores = logits.stopGradient().reshape(rowsCount, -1);
        NDArray foreground = labels.reshape(rowsCount, -1).eq(1).toType(DataType.FLOAT32, false);
        NDArray errors = scores.mul(foreground.mul(2).sub(1)).neg().add(1);
        floorErrors = errors;
        floorForeground = foreground;
    }

    private void setFloor(NDArray probaRows, NDArray foreground) {
        floorErrors = foreground.sub(probaRows).abs();
        floorForeground = foreground;
    }

    /** @return the shape */
    public BenchShape shape() {
        return shape;
    }

    /** @return the label kind */
    public LabelKind kind() {
        return kind;
    }

    /** @return the ignore index of the label kind, or {@code null} */
    public Integer ignoreIndex() {
        return kind.ignoreIndex();
    }

    /** @return the manager that owns the inputs */
    public NDManager manager() {
        return manager;
    }

    /** @return logits {@code [B, C, H, W]} requiring a gradient */
    public NDArray logits() {
        return logits;
    }

    /** @return labels {@code [B, H, W]} int64 (ignore index 255 in realistic maps) */
    public NDArray labels() {
        return labels;
    }

    /** @return labels {@code [B, 1, H, W]} for DJL's cross-entropy losses, ignored pixels as 0 */
    public NDArray crossEntropyLabels() {
        return crossEntropyLabels;
    }

    /** @return the floor's error matrix (after a {@code prepare…Floor} call) */
    public NDArray floorErrors() {
        return floorErrors;
    }

    /** @return the floor's foreground matrix (after a {@code prepare…Floor} call) */
    public NDArray floorForeground() {
        return floorForeground;
    }

    @Override
    public void close() {
        manager.close();
    }
}
