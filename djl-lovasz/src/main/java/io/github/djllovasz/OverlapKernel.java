package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * What the overlap kernels ({@link TverskyKernel}, {@link GeneralizedDiceKernel}) share around
 * their formulas: float16 widened, shapes and class count checked, an empty batch answered with 0,
 * everything in one scope that closes the intermediates; and the mask that leaves the background
 * out.
 */
final class OverlapKernel {

    private OverlapKernel() {}

    /** A formula over checked, widened, non-empty predictions. */
    interface Body {
        /**
         * Computes the loss.
         *
         * @param widened the predictions, float16 widened to float32
         * @param axis the resolved class axis
         * @return the scalar loss
         */
        NDArray compute(NDArray widened, int axis);
    }

    /**
     * Checks the inputs and runs a formula in a scope.
     *
     * @param labels the targets and optionally a keep mask
     * @param predictions logits (or probabilities) {@code [B, C, d1, ...]}
     * @param input the input contract
     * @param includeBackground whether class 0 counts
     * @param body the formula
     * @return the scalar loss, attached to the predictions' manager
     */
    static NDArray run(
            NDList labels, NDArray predictions, InputContract input, boolean includeBackground, Body body) {
        return Scoped.compute(
                () -> {
                    NDArray widened = EngineQuirks.widen(predictions);
                    int axis = Targets.requireShapes(labels, widened, input, "predictions");
                    requireClasses(widened.getShape(), axis, input, includeBackground);
                    if (SegmentationInputs.isEmptyBatch(widened)) {
                        return SegmentationInputs.zeroLoss(widened);
                    }
                    SegmentationInputs.requireNonEmpty(widened, "predictions");
                    return body.compute(widened, axis);
                },
                predictions,
                labels);
    }

    /**
     * {@code [C]} in the predictions' type: 0 for class 0 (the background), 1 for the others.
     *
     * @param predictions the predictions (manager and type)
     * @param numClasses C
     * @return the mask
     */
    static NDArray withoutBackground(NDArray predictions, long numClasses) {
        double[] mask = new double[Math.toIntExact(numClasses)];
        Arrays.fill(mask, 1, mask.length, 1.0);
        return EngineQuirks.copyDoubles(predictions.getManager(), mask).toType(predictions.getDataType(), false);
    }

    /**
     * Rejects what has no loss to speak of: C = 1 with a softmax (always 1, constant loss), and
     * {@code includeBackground(false)} with a single channel (no class left).
     *
     * @param shape the predictions' shape
     * @param axis the resolved class axis
     * @param input the input contract (multilabel or softmax)
     * @param includeBackground whether class 0 counts
     */
    private static void requireClasses(Shape shape, int axis, InputContract input, boolean includeBackground) {
        if (shape.get(axis) != 1) {
            return;
        }
        if (!input.isMultilabel()) {
            throw new IllegalArgumentException(
                    "predictions of shape " + shape + " have C = 1 class along axis " + axis
                            + ": a softmax over one class is always 1, so this loss would be constant"
                            + " with zero gradient. For binary segmentation use optMultilabel(true)"
                            + " (a sigmoid per channel), LovaszHingeLoss or LovaszSoftmaxLoss with C = 1"
                            + " (Lovász-sigmoid), or give two classes (background, foreground)");
        }
        if (!includeBackground) {
            throw new IllegalArgumentException(
                    "predictions of shape " + shape + " have C = 1 channel along axis " + axis
                            + ", and optIncludeBackground(false) leaves out channel 0: no class would"
                            + " count. Keep the background, or give the background its own channel");
        }
    }
}
