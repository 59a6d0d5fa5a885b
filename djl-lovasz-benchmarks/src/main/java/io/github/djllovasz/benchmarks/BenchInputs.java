package io.github.djllovasz.benchmarks;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The inputs of one trial on {@link #device()}, freed with their manager: float32 logits {@code [B,
 * C, H, W]} requiring a gradient, int64 labels {@code [B, H, W]} (0/1 for the hinge, C = 1; 255
 * ignored in realistic maps), and the cross-entropy's labels {@code [B, 1, H, W]}, int64 (float32
 * for the hinge's binary cross-entropy) with ignored pixels as class 0, for scale only.
 */
public record BenchInputs(NDManager manager, NDArray logits, NDArray labels, NDArray crossEntropyLabels)
        implements AutoCloseable {

    /** @return the inputs of a shape, Lovász-Softmax's for C ≥ 2 and the hinge's for C = 1 */
    public static BenchInputs of(BenchShape shape, LabelKind kind, long seed) {
        NDManager manager = NDManager.newBaseManager(device());
        Engine.getInstance().setRandomSeed((int) seed);
        long b = shape.batch();
        NDArray logits = manager.randomNormal(new Shape(b, shape.classes(), shape.height(), shape.width()));
        logits.setRequiresGradient(true);
        int[] host = LabelMaps.generate(kind, shape, seed);
        NDArray labels = manager.create(host, new Shape(b, shape.height(), shape.width())).toType(DataType.INT64, false);
        int[] dense = host.clone();
        for (int i = 0; i < dense.length; i++) {
            dense[i] = dense[i] == LabelMaps.IGNORE_INDEX ? 0 : dense[i];
        }
        NDArray ce = manager.create(dense, new Shape(b, 1, shape.height(), shape.width()))
                .toType(shape.classes() == 1 ? DataType.FLOAT32 : DataType.INT64, false);
        return new BenchInputs(manager, logits, labels, ce);
    }

    /** @return the device of every trial: the first GPU when the engine sees one, else the CPU */
    public static Device device() {
        return Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }

    @Override
    public void close() {
        manager.close();
    }
}
