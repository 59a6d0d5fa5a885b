package ai.djl.lovasz.examples.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A training loss that changes with the epoch: phase k's loss is used from its start epoch until
 * the next phase starts (e.g. cross-entropy for epochs 0–5, then Lovász-Softmax). The epoch is set
 * with {@link #setEpoch(int)}, typically by a training listener.
 *
 * <p>As a DJL evaluator it reports the mean of the batch losses since the accumulator's reset. It
 * reuses the value computed for the gradient step instead of evaluating the loss a second time
 * (DJL's {@link Loss} recomputes it, which doubles the cost of an expensive loss).
 */
public class PhasedLoss extends Loss {

    private final List<Phase> phases;
    private final Map<String, double[]> accumulators = new ConcurrentHashMap<>();
    private volatile int epoch;
    private volatile NDArray lastPredictions;
    private volatile NDArray lastValue;

    /**
     * Creates the loss.
     *
     * @param name the name shown in logs
     * @param phases the phases, by increasing start epoch; the first starts at 0
     */
    public PhasedLoss(String name, List<Phase> phases) {
        super(name);
        if (phases.isEmpty() || phases.get(0).startEpoch() != 0) {
            throw new IllegalArgumentException("the first phase must start at epoch 0");
        }
        for (int i = 1; i < phases.size(); i++) {
            if (phases.get(i).startEpoch() <= phases.get(i - 1).startEpoch()) {
                throw new IllegalArgumentException("phases must start at increasing epochs");
            }
        }
        this.phases = List.copyOf(phases);
    }

    /**
     * A single loss for all epochs.
     *
     * @param loss the loss
     * @return the phased loss, named after it
     */
    public static PhasedLoss constant(Loss loss) {
        return new PhasedLoss(loss.getName(), List.of(new Phase(0, loss)));
    }

    /**
     * Sets the current epoch (0-based).
     *
     * @param epoch the epoch
     */
    public void setEpoch(int epoch) {
        this.epoch = epoch;
    }

    /** @return the loss of the current epoch */
    public Loss current() {
        Loss active = phases.get(0).loss();
        for (Phase phase : phases) {
            if (phase.startEpoch() <= epoch) {
                active = phase.loss();
            }
        }
        return active;
    }

    /** @return the phases */
    public List<Phase> phases() {
        return phases;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray value = current().evaluate(labels, predictions);
        lastPredictions = predictions.head();
        lastValue = value;
        return value;
    }

    /** {@inheritDoc} */
    @Override
    public void addAccumulator(String key) {
        accumulators.put(key, new double[2]);
    }

    /** Adds the batch loss, reusing the value of the last {@link #evaluate} on these predictions. */
    @Override
    public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
        NDArray cached = lastValue;
        float value;
        if (cached != null && lastPredictions == predictions.head() && !cached.isReleased()) {
            value = cached.getFloat();
        } else {
            try (NDArray fresh = current().evaluate(labels, predictions)) {
                value = fresh.getFloat();
            }
        }
        for (String key : keys) {
            double[] sumCount = accumulators.computeIfAbsent(key, k -> new double[2]);
            synchronized (sumCount) {
                sumCount[0] += value;
                sumCount[1] += 1;
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public void updateAccumulator(String key, NDList labels, NDList predictions) {
        updateAccumulators(new String[] {key}, labels, predictions);
    }

    /** {@inheritDoc} */
    @Override
    public void resetAccumulator(String key) {
        accumulators.put(key, new double[2]);
    }

    /** {@inheritDoc} */
    @Override
    public float getAccumulator(String key) {
        double[] sumCount = accumulators.get(key);
        if (sumCount == null) {
            throw new IllegalArgumentException("no accumulator " + key);
        }
        return sumCount[1] == 0 ? Float.NaN : (float) (sumCount[0] / sumCount[1]);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(getName()).append('{');
        for (Phase phase : phases) {
            text.append("epoch ").append(phase.startEpoch()).append("+: ").append(phase.loss())
                    .append("; ");
        }
        return text.append('}').toString();
    }

    /**
     * One phase.
     *
     * @param startEpoch the first epoch (0-based) of the phase
     * @param loss the loss used from then on
     */
    public record Phase(int startEpoch, Loss loss) {}
}
