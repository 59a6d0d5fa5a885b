package ai.djl.lovasz.composite;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;

/**
 * The original's advice as a loss: train with one loss (typically cross-entropy) and switch to
 * another (the Lovász loss) for fine-tuning from a given epoch on.
 *
 * <p>Register it both as the loss and as a training listener, so that it sees epochs end:
 *
 * <pre>{@code
 * EpochSwitchLoss loss = new EpochSwitchLoss(SegmentationCrossEntropyLoss.of(255),
 *         LovaszSoftmaxLoss.builder().ignoreIndex(255).build(), 10);
 * DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
 *         .addTrainingListeners(loss.listener());
 * }</pre>
 */
public class EpochSwitchLoss extends Loss {

    private final Loss before;
    private final Loss after;
    private final int switchEpoch;
    private volatile int epoch;

    /**
     * Creates the loss.
     *
     * @param before the loss of epochs {@code 0 .. switchEpoch − 1}
     * @param after the loss from epoch {@code switchEpoch} on
     * @param switchEpoch the first epoch (0-based) that uses {@code after}, ≥ 0
     */
    public EpochSwitchLoss(Loss before, Loss after, int switchEpoch) {
        super(before.getName() + "→" + after.getName() + "@" + switchEpoch);
        if (switchEpoch < 0) {
            throw new IllegalArgumentException("switchEpoch must be >= 0, got " + switchEpoch);
        }
        this.before = before;
        this.after = after;
        this.switchEpoch = switchEpoch;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return current().evaluate(labels, predictions);
    }

    /** @return the loss in use for the current epoch */
    public Loss current() {
        return epoch < switchEpoch ? before : after;
    }

    /** @return the current epoch (0-based), advanced by {@link #listener()} */
    public int getEpoch() {
        return epoch;
    }

    /**
     * Sets the current epoch, for loops that do not use DJL's listeners.
     *
     * @param epoch the epoch (0-based)
     */
    public void setEpoch(int epoch) {
        this.epoch = epoch;
    }

    /** @return a training listener that advances the epoch whenever one ends */
    public TrainingListenerAdapter listener() {
        return new TrainingListenerAdapter() {
            @Override
            public void onEpoch(Trainer trainer) {
                epoch++;
            }
        };
    }
}
