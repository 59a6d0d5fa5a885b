package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A training loss that changes with the epoch: phase k's loss is used from its start epoch until
 * the next phase starts. The original's advice, cross-entropy first and Lovász fine-tuning later,
 * is two phases ({@link SegmentationLosses#crossEntropyThenLovasz}).
 *
 * <pre>
 *   loss(epoch) = L_k  for  start_k ≤ epoch &lt; start_{k+1}     (start_0 = 0, epochs 0-based)
 * </pre>
 *
 * <p>Register {@link #listener()} with the trainer so that the loss sees epochs: it sets the
 * epoch to 0 when training begins (so the same loss object can train again from the first
 * phase) and advances it whenever an epoch ends.
 *
 * <pre>{@code
 * EpochSwitchLoss loss = EpochSwitchLoss.builder()
 *         .addPhase(0, SegmentationCrossEntropyLoss.builder().optIgnoreIndex(255).build())
 *         .addPhase(10, LovaszSoftmaxLoss.builder().optIgnoreIndex(255).build())
 *         .build();
 * DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
 *         .addTrainingListeners(loss.listener());
 * }</pre>
 *
 * <p>Evaluated once per training step ({@link EvaluateOnceLoss}): the training-loss display
 * reuses the value of the phase that was stepped on.
 */
public class EpochSwitchLoss extends EvaluateOnceLoss {

    private final List<Phase> phases;
    private final TrainingListener listener = new EpochCounter();
    private volatile int epoch;

    EpochSwitchLoss(Builder builder) {
        super(builder.name);
        this.phases = Collections.unmodifiableList(new ArrayList<>(builder.phases));
    }

    /** @return a builder; add the phases by increasing start epoch, the first at epoch 0 */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    protected NDArray computeLoss(NDList labels, NDList predictions) {
        return current().evaluate(labels, predictions);
    }

    /** @return the loss of the current epoch */
    public Loss current() {
        int now = epoch;
        Loss active = phases.get(0).getLoss();
        for (Phase phase : phases) {
            if (phase.getStartEpoch() <= now) {
                active = phase.getLoss();
            }
        }
        return active;
    }

    /** @return the phases, by increasing start epoch */
    public List<Phase> getPhases() {
        return phases;
    }

    /** @return the current epoch (0-based), set by {@link #listener()} */
    public int getEpoch() {
        return epoch;
    }

    /**
     * Sets the current epoch, for loops that do not use DJL's listeners.
     *
     * @param epoch the epoch (0-based), at least 0
     */
    public void setEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        this.epoch = epoch;
    }

    /**
     * Returns the listener that tells this loss the epoch: 0 at {@code onTrainingBegin}, one more
     * at every {@code onEpoch}. Always the same object; register it once.
     *
     * @return the listener
     */
    public TrainingListener listener() {
        return listener;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(getName()).append('{');
        for (int i = 0; i < phases.size(); i++) {
            Phase phase = phases.get(i);
            text.append(i == 0 ? "" : ", ").append("from epoch ").append(phase.getStartEpoch())
                    .append(": ").append(phase.getLoss().getName());
        }
        return text.append('}').toString();
    }

    private final class EpochCounter extends TrainingListenerAdapter {
        /** {@inheritDoc} */
        @Override
        public void onTrainingBegin(Trainer trainer) {
            epoch = 0;
        }

        /** {@inheritDoc} */
        @Override
        public void onEpoch(Trainer trainer) {
            epoch++;
        }
    }

    /** One phase: a loss and the first epoch it is used in. */
    public static final class Phase {
        private final int startEpoch;
        private final Loss loss;

        Phase(int startEpoch, Loss loss) {
            this.startEpoch = startEpoch;
            this.loss = loss;
        }

        /** @return the first epoch (0-based) of the phase */
        public int getStartEpoch() {
            return startEpoch;
        }

        /** @return the loss used from then on */
        public Loss getLoss() {
            return loss;
        }
    }

    /** Builds an {@link EpochSwitchLoss}. */
    public static final class Builder {
        private final List<Phase> phases = new ArrayList<>();
        private String name = "EpochSwitchLoss";

        Builder() {}

        /**
         * Adds a phase. The first phase starts at epoch 0; each later one starts after the
         * previous one.
         *
         * @param startEpoch the first epoch (0-based) that uses {@code loss}
         * @param loss the loss
         * @return this builder
         * @throws IllegalArgumentException naming the start epochs if they are out of order
         */
        public Builder addPhase(int startEpoch, Loss loss) {
            Objects.requireNonNull(loss, "loss");
            if (phases.isEmpty() && startEpoch != 0) {
                throw new IllegalArgumentException(
                        "the first phase must start at epoch 0, got " + startEpoch);
            }
            if (!phases.isEmpty() && startEpoch <= phases.get(phases.size() - 1).startEpoch) {
                throw new IllegalArgumentException(
                        "phases must start at increasing epochs: " + startEpoch + " after "
                                + phases.get(phases.size() - 1).startEpoch);
            }
            phases.add(new Phase(startEpoch, loss));
            return this;
        }

        /**
         * Sets the name shown in training logs (default "EpochSwitchLoss").
         *
         * @param name the name
         * @return this builder
         */
        public Builder optName(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         * @throws IllegalStateException if no phase was added
         */
        public EpochSwitchLoss build() {
            if (phases.isEmpty()) {
                throw new IllegalStateException("add at least one phase with addPhase(0, loss)");
            }
            return new EpochSwitchLoss(this);
        }
    }
}
