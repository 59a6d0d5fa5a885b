package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Soft targets made from class ids, for the losses that accept soft labels ({@link TverskyLoss},
 * {@link SegmentationCrossEntropyLoss} with {@code optSoftLabels(true)}). Label smoothing with
 * ε ∈ [0, 1) turns the class id {@code y_i} of pixel i into
 *
 * <pre>
 *   t_i(c) = (1 − ε)·[y_i = c] + ε / C
 * </pre>
 *
 * <p>which sums to 1 over the C classes. The losses' {@code optLabelSmoothing(ε)} applies the same
 * formula inside, to hard labels, and keeps their ignore index.
 *
 * <pre>{@code
 * NDArray soft = SoftTargets.labelSmoothing(classIds, 11, 0.1);   // [B, H, W] ids -> [B, 11, H, W]
 * Loss jml = TverskyLoss.jaccard().optSoftLabels(true).build();
 * NDArray loss = jml.evaluate(soft, logits);
 * }</pre>
 */
public final class SoftTargets {

    private SoftTargets() {}

    /**
     * Label-smoothed one-hot targets, class axis 1.
     *
     * @param classIds class ids {@code [B, d1, ...]} in {@code [0, C)}: integer, or float holding
     *     integers
     * @param numClasses C ≥ 2
     * @param epsilon ε in [0, 1) (0: one-hot)
     * @return float32 targets {@code [B, C, d1, ...]}, on the ids' manager
     * @throws IllegalArgumentException for a label outside {@code [0, C)}, C &lt; 2 or ε outside [0, 1)
     */
    public static NDArray labelSmoothing(NDArray classIds, int numClasses, double epsilon) {
        return labelSmoothing(classIds, numClasses, epsilon, DataType.FLOAT32);
    }

    /**
     * Label-smoothed one-hot targets in a given floating-point type, class axis 1.
     *
     * @param classIds class ids {@code [B, d1, ...]} in {@code [0, C)}: integer, or float holding
     *     integers
     * @param numClasses C ≥ 2
     * @param epsilon ε in [0, 1) (0: one-hot)
     * @param type the floating-point type of the result (float64 for float64 predictions)
     * @return targets {@code [B, C, d1, ...]}, on the ids' manager
     * @throws IllegalArgumentException for a label outside {@code [0, C)}, C &lt; 2, ε outside [0, 1)
     *     or a type that is not floating point
     */
    public static NDArray labelSmoothing(
            NDArray classIds, int numClasses, double epsilon, DataType type) {
        requireEpsilon(epsilon);
        if (!type.isFloating()) {
            throw new IllegalArgumentException("soft targets must be floating point, got " + type);
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("label smoothing needs C >= 2 classes, got " + numClasses);
        }
        Shape shape = classIds.getShape();
        if (shape.dimension() < 1) {
            throw new IllegalArgumentException(
                    "class ids must be [B, d1, ...] with a batch axis, got shape " + shape);
        }
        return Scoped.compute(
                () -> {
                    NDArray ids = SegmentationInputs.integerLabels(classIds).reshape(shape.get(0), -1);
                    SegmentationInputs.checkLabelRange(
                            ids, null, 0, numClasses - 1, "[0, " + numClasses + ")");
                    long[] dims = new long[shape.dimension() + 1];
                    dims[0] = shape.get(0);
                    dims[1] = numClasses;
                    System.arraycopy(shape.getShape(), 1, dims, 2, shape.dimension() - 1);
                    return smoothedOneHot(ids, numClasses, type, epsilon).reshape(new Shape(dims));
                },
                classIds);
    }

    /**
     * The smoothed one-hot targets of class ids, class axis 1.
     *
     * @param ids int64 class ids {@code [B, P]} in {@code [0, C)}
     * @param numClasses C
     * @param type the type of the result
     * @param epsilon ε (0: one-hot)
     * @return {@code [B, C, P]}
     */
    static NDArray smoothedOneHot(NDArray ids, int numClasses, DataType type, double epsilon) {
        NDArray oneHot = ids.oneHot(numClasses, type).transpose(0, 2, 1);
        if (epsilon == 0) {
            return oneHot;
        }
        return oneHot.mul(EngineQuirks.scalar(type, 1 - epsilon)).add(EngineQuirks.scalar(type, epsilon / numClasses));
    }

    /**
     * Checks a label-smoothing ε.
     *
     * @param epsilon ε
     * @return ε, in [0, 1)
     * @throws IllegalArgumentException otherwise
     */
    static double requireEpsilon(double epsilon) {
        if (!(epsilon >= 0 && epsilon < 1)) {
            throw new IllegalArgumentException("label smoothing ε must lie in [0, 1), got " + epsilon);
        }
        return epsilon;
    }
}
