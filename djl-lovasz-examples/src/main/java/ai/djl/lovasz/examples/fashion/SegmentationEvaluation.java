package ai.djl.lovasz.examples.fashion;

import ai.djl.lovasz.examples.metrics.IouCounts;
import ai.djl.lovasz.examples.metrics.MeanIouEvaluator;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Evaluates a trainer's network on held-out scenes, in inference mode and in batches. */
public final class SegmentationEvaluation {

    private static final int BATCH = 64;

    private SegmentationEvaluation() {}

    /**
     * Predicts every scene and counts IoU against the labels.
     *
     * @param trainer the trainer (its network is run with {@code training = false})
     * @param test the scenes
     * @param classes the number of classes
     * @return the counts
     */
    public static IouCounts counts(Trainer trainer, SceneTensors test, int classes) {
        IouCounts counts = new IouCounts(classes, null);
        int n = test.scenes().count();
        int pixels = test.scenes().size() * test.scenes().size();
        int[] labels = test.scenes().labels();
        for (int from = 0; from < n; from += BATCH) {
            int to = Math.min(n, from + BATCH);
            int[] predicted = predict(trainer, test.images(), from, to);
            counts.add(predicted, Arrays.copyOfRange(labels, from * pixels, to * pixels));
        }
        return counts;
    }

    /**
     * Predicts selected scenes.
     *
     * @param trainer the trainer
     * @param test the scenes
     * @param indices the scenes to predict
     * @return the predicted classes of each, row-major
     */
    public static List<int[]> predictions(Trainer trainer, SceneTensors test, int[] indices) {
        List<int[]> result = new ArrayList<>();
        for (int index : indices) {
            result.add(predict(trainer, test.images(), index, index + 1));
        }
        return result;
    }

    private static int[] predict(Trainer trainer, NDArray images, int from, int to) {
        try (NDManager scope = images.getManager().newSubManager()) {
            NDArray batch = images.get(new NDIndex("{}:{}", from, to));
            batch.attach(scope);
            NDArray logits = trainer.evaluate(new NDList(batch)).singletonOrThrow();
            logits.attach(scope);
            return MeanIouEvaluator.predictedClasses(logits);
        }
    }
}
