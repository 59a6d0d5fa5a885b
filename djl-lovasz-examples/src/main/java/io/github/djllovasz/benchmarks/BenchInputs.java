package io.github.djllovasz.benchmarks;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The inputs of one trial, float32 on {@link #device()} in one manager.
 *
 * @param manager owns the arrays; {@link #close()} frees them
 * @param logits {@code [B, C, H, W]}, requiring a gradient
 * @param labels {@code [B, H, W]} int64 (the ignore index 255 in realistic maps)
 * @param crossEntropyLabels {@code [B, 1, H, W]} for DJL's cross-entropy (int64) or the binary
 *     cross-entropy (float32), ignored pixels as class 0 (for scale only)
 */
public record BenchInputs(NDManager manager, NDArray logits, NDArray labels, NDArray crossEntropyLabels)
        implements AutoCloseable {

    /**
     * Inputs for Lovász-Softmax: labels in {@code [0, C)}.
     *
     * @param shape the shape (C ≥ 2)
     * @param kind the label kind
     * @param seed the random seed
     * @return the inputs
     */
    public static BenchInputs softmax(BenchShape shape, LabelKind kind, long seed) {
        return create(shape, kind, false, seed);
    }

    /**
     * Inputs for the Lovász hinge: 0/1 labels.
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
        return create(shape, kind, true, seed);
    }

    private static BenchInputs create(BenchShape shape, LabelKind kind, boolean binary, long seed) {
        NDManager manager = NDManager.newBaseManager(device());
        Engine.getInstance().setRandomSeed((int) seed);
        NDArray logits = manager.randomNormal(shape.predictionShape(), DataType.FLOAT32);
        logits.setRequiresGradient(true);
        int[] host = LabelMaps.generate(kind, shape, seed);
        NDArray labels = manager.create(host, shape.labelShape()).toType(DataType.INT64, false);
        int[] dense = host.clone();
        for (int i = 0; i < dense.length; i++) {
            dense[i] = dense[i] == LabelMaps.IGNORE_INDEX ? 0 : dense[i];
        }
        NDArray ce = manager.create(dense, new Shape(shape.batch(), 1, shape.height(), shape.width()))
                .toType(binary ? DataType.FLOAT32 : DataType.INT64, false);
        return new BenchInputs(manager, logits, labels, ce);
    }

    /** @return the device every trial runs on: the first GPU when the engine sees one, else the CPU */
    public static Device device() {
        return Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }

    @Override
    public void close() {
        manager.close();
    }
}
