package ai.djl.lovasz.examples.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/**
 * Softmax cross-entropy over a class axis with an optional ignored label: the mean, over the
 * pixels whose label is not the ignore index, of {@code −log softmax(logits)[label]}; PyTorch's
 * {@code F.cross_entropy(logits, labels, ignore_index=…)} with the default mean reduction.
 *
 * <p>Predictions are logits {@code [B, C, d1, ...]} (class axis 1); labels are class ids {@code
 * [B, d1, ...]} or {@code [B, 1, d1, ...]}, integer or float holding integers. Ignored pixels get
 * exactly zero gradient; if every pixel is ignored the loss is 0. A label outside {@code [0, C)}
 * that is not the ignore index is rejected.
 */
public class IgnoreIndexCrossEntropyLoss extends Loss {

    private final Integer ignoreIndex;

    /**
     * Creates the loss.
     *
     * @param name the name shown in training logs
     * @param ignoreIndex the ignored label, or {@code null} for none
     */
    public IgnoreIndexCrossEntropyLoss(String name, Integer ignoreIndex) {
        super(name);
        this.ignoreIndex = ignoreIndex;
    }

    /**
     * Creates the loss without an ignored label, named "CrossEntropy".
     *
     * @return the loss
     */
    public static IgnoreIndexCrossEntropyLoss plain() {
        return new IgnoreIndexCrossEntropyLoss("CrossEntropy", null);
    }

    /** @return the ignored label, or {@code null} */
    public Integer getIgnoreIndex() {
        return ignoreIndex;
    }

    /**
     * Computes the loss of one batch.
     *
     * @param labels a single array of class ids
     * @param predictions a single array of logits {@code [B, C, d1, ...]}
     * @return the scalar loss
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return compute(predictions.singletonOrThrow(), labels.singletonOrThrow());
    }

    /**
     * Computes the loss from arrays.
     *
     * @param logits {@code [B, C, d1, ...]}
     * @param labels {@code [B, d1, ...]} or {@code [B, 1, d1, ...]}
     * @return the scalar loss, on the logits' manager
     */
    public NDArray compute(NDArray logits, NDArray labels) {
        NDManager outer = logits.getManager();
        try (NDManager scope = outer.newSubManager()) {
            NDArray ids = LabelMask.alignWithClassAxis(labels, logits).toType(DataType.INT64, false);
            ids.attach(scope);
            LabelMask mask = LabelMask.of(ids, ignoreIndex, scope);
            mask.checkRange(0, logits.getShape().get(1) - 1);
            NDArray picked = logits.logSoftmax(1).gather(mask.safeLabels(), 1);
            NDArray valid = mask.valid().toType(logits.getDataType(), false);
            NDArray loss = picked.mul(valid).sum().neg().div(valid.sum().maximum(1));
            loss.attach(outer);
            return loss;
        }
    }

    @Override
    public String toString() {
        return getName() + "{ignoreIndex=" + ignoreIndex + "}";
    }
}
