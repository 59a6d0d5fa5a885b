package ai.djl.lovasz.examples.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/**
 * Binary cross-entropy from logits with an optional ignored label, in the numerically stable form
 * {@code max(x, 0) − x·y + log(1 + exp(−|x|))}, averaged over the pixels whose label is not the
 * ignore index (the original's {@code binary_xloss}).
 *
 * <p>Logits and 0/1 labels have the same shape (a class axis of size 1 on either side is
 * accepted). Ignored pixels get exactly zero gradient; if every pixel is ignored the loss is 0.
 */
public class IgnoreIndexBinaryCrossEntropyLoss extends Loss {

    private final Integer ignoreIndex;

    /**
     * Creates the loss.
     *
     * @param name the name shown in training logs
     * @param ignoreIndex the ignored label, or {@code null} for none
     */
    public IgnoreIndexBinaryCrossEntropyLoss(String name, Integer ignoreIndex) {
        super(name);
        this.ignoreIndex = ignoreIndex;
    }

    /**
     * Computes the loss of one batch.
     *
     * @param labels a single array of 0/1 labels
     * @param predictions a single array of logits
     * @return the scalar loss
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return compute(predictions.singletonOrThrow(), labels.singletonOrThrow());
    }

    /**
     * Computes the loss from arrays.
     *
     * @param logits the logits
     * @param labels 0/1 labels (or the ignore index), same number of elements
     * @return the scalar loss, on the logits' manager
     */
    public NDArray compute(NDArray logits, NDArray labels) {
        if (logits.getShape().size() != labels.getShape().size()) {
            throw new IllegalArgumentException(
                    "logits " + logits.getShape() + " and labels " + labels.getShape()
                            + " differ in size");
        }
        NDManager outer = logits.getManager();
        try (NDManager scope = outer.newSubManager()) {
            NDArray ids = labels.toType(DataType.INT64, false).reshape(logits.getShape());
            ids.attach(scope);
            LabelMask mask = LabelMask.of(ids, ignoreIndex, scope);
            mask.checkRange(0, 1);
            NDArray y = mask.safeLabels().toType(logits.getDataType(), false);
            NDArray valid = mask.valid().toType(logits.getDataType(), false);
            NDArray perPixel = logits.maximum(0)
                    .sub(logits.mul(y))
                    .add(logits.abs().neg().exp().add(1).log());
            NDArray loss = perPixel.mul(valid).sum().div(valid.sum().maximum(1));
            loss.attach(outer);
            return loss;
        }
    }

    @Override
    public String toString() {
        return getName() + "{ignoreIndex=" + ignoreIndex + "}";
    }
}
