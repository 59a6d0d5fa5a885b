package io.github.djllovasz.examples.fashion;

import io.github.djllovasz.EpochSwitchLoss;
import ai.djl.training.Trainer;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import io.github.djllovasz.examples.EpochMetrics;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints one line per epoch (training loss, train and test mIoU) from the metrics DJL's {@link
 * EvaluatorTrainingListener} recorded, and keeps them for the chart. Register it after DJL's
 * listeners and before {@link EpochSwitchLoss#listener()}, so that it names the epoch's phase.
 */
public class EpochReporter extends TrainingListenerAdapter {

    private final String label;
    private final Loss loss;
    private final Evaluator miou;
    private final int epochs;
    private final PrintStream out;
    private final List<Double> testMeanIou = new ArrayList<>();
    private final List<Double> trainLoss = new ArrayList<>();

    /**
     * Creates the listener.
     *
     * @param label the run's label for the printed lines
     * @param loss the training loss
     * @param miou the mIoU evaluator (training batches and validation)
     * @param epochs the number of epochs
     * @param out where to print
     */
    public EpochReporter(String label, Loss loss, Evaluator miou, int epochs, PrintStream out) {
        this.label = label;
        this.loss = loss;
        this.miou = miou;
        this.epochs = epochs;
        this.out = out;
    }

    /** {@inheritDoc} */
    @Override
    public void onEpoch(Trainer trainer) {
        double lossValue = EpochMetrics.latest(trainer, loss, EvaluatorTrainingListener.TRAIN_EPOCH);
        double trainMiou = EpochMetrics.latest(trainer, miou, EvaluatorTrainingListener.TRAIN_EPOCH);
        double testMiou = EpochMetrics.latest(trainer, miou, EvaluatorTrainingListener.VALIDATE_EPOCH);
        testMeanIou.add(testMiou);
        trainLoss.add(lossValue);
        String phase = loss instanceof EpochSwitchLoss
                ? " (" + ((EpochSwitchLoss) loss).current().getName() + ")"
                : "";
        out.printf(Locale.ROOT, "[%s] epoch %d/%d  loss %.4f%s  train mIoU %.4f  test mIoU %.4f%n",
                label, testMeanIou.size(), epochs, lossValue, phase, trainMiou, testMiou);
        out.flush();
    }

    /** @return test mIoU after each epoch so far */
    public List<Double> testMeanIou() {
        return List.copyOf(testMeanIou);
    }

    /** @return mean training loss of each epoch so far */
    public List<Double> trainLoss() {
        return List.copyOf(trainLoss);
    }
}
