package io.github.djllovasz.training;

import ai.djl.TrainingDivergedException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.util.Pair;
import io.github.djllovasz.host.OneDnnGuard;
import java.util.Locale;

/**
 * Stops training with a {@link TrainingDivergedException} at the first step whose loss or
 * parameter gradient is not finite, before the optimizer applies it, and says what most likely
 * caused it on this host ({@link OneDnnGuard#advice()}).
 *
 * <p>DJL calls {@code onTrainingBatch} after the backward pass and before {@code Trainer.step()},
 * so no weight is ever updated from a NaN. The check is one reduction per parameter and one host
 * read per step: the sum of every gradient's sum, which is finite exactly when every gradient is
 * (barring an overflow past {@code Float.MAX_VALUE}, itself a divergence). The loss is read from
 * the training loss's {@code train/all} accumulator, as DJL's own divergence check does. On
 * several devices the first device's copy of each parameter is checked.
 *
 * <pre>{@code
 * config.addTrainingListeners(TrainingListener.Defaults.logging())
 *       .addTrainingListeners(new FiniteGradientCheck());
 * }</pre>
 */
public final class FiniteGradientCheck extends TrainingListenerAdapter {

    private int epoch;
    private int batch;

    /** {@inheritDoc} */
    @Override
    public void onTrainingBegin(Trainer trainer) {
        epoch = 0;
        batch = 0;
    }

    /** {@inheritDoc} */
    @Override
    public void onEpoch(Trainer trainer) {
        epoch++;
        batch = 0;
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        batch++;
        float loss = trainingLoss(trainer);
        if (Float.isNaN(loss) || Float.isInfinite(loss)) {
            throw diverged("the training loss is " + loss);
        }
        String parameter = firstNonFiniteGradient(trainer);
        if (parameter != null) {
            throw diverged("the gradient of parameter " + parameter + " is not finite (NaN or infinite)");
        }
    }

    private TrainingDivergedException diverged(String what) {
        return new TrainingDivergedException(String.format(Locale.ROOT,
                "Training stopped at epoch %d, batch %d: %s. %s", epoch + 1, batch, what,
                OneDnnGuard.advice()));
    }

    private static float trainingLoss(Trainer trainer) {
        try {
            return trainer.getLoss().getAccumulator(EvaluatorTrainingListener.TRAIN_ALL);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return 0f; // no accumulator yet (the Trainer's evaluator listener is not installed)
        }
    }

    /** @return the first parameter whose gradient is not finite, or {@code null} */
    static String firstNonFiniteGradient(Trainer trainer) {
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDArray total = null;
            for (Pair<String, Parameter> p : trainer.getModel().getBlock().getParameters()) {
                NDArray gradient = gradient(p.getValue(), scope);
                if (gradient != null) {
                    NDArray sum = gradient.sum().toType(DataType.FLOAT64, false);
                    total = total == null ? sum : total.add(sum);
                }
            }
            if (total == null || Double.isFinite(total.getDouble())) {
                return null;
            }
            for (Pair<String, Parameter> p : trainer.getModel().getBlock().getParameters()) {
                NDArray gradient = gradient(p.getValue(), scope);
                if (gradient != null && !Double.isFinite(
                        gradient.sum().toType(DataType.FLOAT64, false).getDouble())) {
                    return p.getKey();
                }
            }
            return "(sum of all)";
        }
    }

    private static NDArray gradient(Parameter parameter, NDManager scope) {
        if (!parameter.requiresGradient() || !parameter.isInitialized()
                || !parameter.getArray().hasGradient()) {
            return null;
        }
        NDArray gradient = parameter.getArray().getGradient();
        gradient.attach(scope);
        return gradient;
    }
}
