package ai.djl.lovasz.examples.fashion;

import ai.djl.lovasz.examples.losses.PhasedLoss;
import ai.djl.lovasz.examples.metrics.IouCounts;
import ai.djl.metric.Metrics;
import ai.djl.training.Trainer;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A training listener that, after every epoch, evaluates the held-out scenes, records the test
 * mIoU and the epoch's training loss, prints one line, and moves the {@link PhasedLoss} to the
 * next epoch. Register it after DJL's evaluator listener, whose epoch metrics it reads.
 */
public class EpochReporter extends TrainingListenerAdapter {

    private final String label;
    private final PhasedLoss loss;
    private final Evaluator trainIou;
    private final SceneTensors test;
    private final int classes;
    private final int epochs;
    private final PrintStream out;
    private final List<Double> testMeanIou = new ArrayList<>();
    private final List<Double> trainLoss = new ArrayList<>();
    private IouCounts lastCounts;
    private int epoch;

    /**
     * Creates the listener.
     *
     * @param label the run's label for the printed lines
     * @param loss the training loss, switched per epoch
     * @param trainIou the training mIoU evaluator, or {@code null}
     * @param test the held-out scenes
     * @param classes the number of classes
     * @param epochs the number of epochs
     * @param out where to print
     */
    public EpochReporter(
            String label, PhasedLoss loss, Evaluator trainIou, SceneTensors test, int classes,
            int epochs, PrintStream out) {
        this.label = label;
        this.loss = loss;
        this.trainIou = trainIou;
        this.test = test;
        this.classes = classes;
        this.epochs = epochs;
        this.out = out;
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBegin(Trainer trainer) {
        epoch = 0;
        loss.setEpoch(0);
    }

    /** {@inheritDoc} */
    @Override
    public void onEpoch(Trainer trainer) {
        String lossName = loss.current().getName();
        lastCounts = SegmentationEvaluation.counts(trainer, test, classes);
        double miou = lastCounts.meanIou();
        double lossValue = latest(trainer.getMetrics(), loss);
        double trainMiou = trainIou == null ? Double.NaN : latest(trainer.getMetrics(), trainIou);
        testMeanIou.add(miou);
        trainLoss.add(lossValue);
        epoch++;
        out.printf("[%s] epoch %d/%d  loss %.4f (%s)  train mIoU %.4f  test mIoU %.4f%n",
                label, epoch, epochs, lossValue, lossName, trainMiou, miou);
        out.flush();
        loss.setEpoch(epoch);
    }

    private static double latest(Metrics metrics, Evaluator evaluator) {
        String name = EvaluatorTrainingListener.metricName(
                evaluator, EvaluatorTrainingListener.TRAIN_EPOCH);
        if (metrics == null || !metrics.hasMetric(name)) {
            return Double.NaN;
        }
        return metrics.latestMetric(name).getValue();
    }

    /** @return test mIoU after each epoch so far */
    public List<Double> testMeanIou() {
        return List.copyOf(testMeanIou);
    }

    /** @return mean training loss of each epoch so far */
    public List<Double> trainLoss() {
        return List.copyOf(trainLoss);
    }

    /** @return the counts of the last evaluation, or {@code null} before the first epoch ends */
    public IouCounts lastCounts() {
        return lastCounts;
    }
}
