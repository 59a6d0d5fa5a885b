package io.github.djllovasz.examples.fashion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.Trainer;
import java.util.ArrayList;
import java.util.List;

/** Predicts held-out scenes for the picture, in inference mode. */
public final class SegmentationEvaluation {

    private SegmentationEvaluation() {}

    /**
     * Predicts selected scenes.
     *
     * @param trainer the trainer (its network is run with {@code training = false})
     * @param test the scenes
     * @param indices the scenes to predict
     * @return the predicted class (arg-max over the class axis) of each pixel of each, row-major
     */
    public static List<int[]> predictions(Trainer trainer, SceneTensors test, int[] indices) {
        List<int[]> result = new ArrayList<>();
        for (int index : indices) {
            try (NDManager scope = test.images().getManager().newSubManager()) {
                NDArray image = test.images().get(new NDIndex("{}:{}", index, index + 1));
                image.attach(scope);
                NDArray logits = trainer.evaluate(new NDList(image)).singletonOrThrow();
                logits.attach(scope);
                result.add(logits.argMax(1).toType(DataType.INT32, false).toIntArray());
            }
        }
        return result;
    }
}
