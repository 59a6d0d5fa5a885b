package io.github.djllovasz.examples.fashion;

import io.github.djllovasz.examples.fashion.SceneComposer.Scenes;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Scenes as NDArrays: images {@code [N, 1, S, S]} standardised with the training set's mean and
 * standard deviation, and int32 labels {@code [N, S, S]}.
 *
 * @param scenes the scenes
 * @param images the standardised images
 * @param labels the labels
 */
public record SceneTensors(Scenes scenes, NDArray images, NDArray labels) {

    /**
     * Copies scenes into arrays.
     *
     * @param manager the manager that owns the arrays
     * @param scenes the scenes
     * @param mean the mean subtracted from every pixel
     * @param std the standard deviation divided by
     * @return the arrays
     */
    public static SceneTensors of(NDManager manager, Scenes scenes, float mean, float std) {
        int n = scenes.count();
        int s = scenes.size();
        float[] standardised = new float[scenes.images().length];
        for (int i = 0; i < standardised.length; i++) {
            standardised[i] = (scenes.images()[i] - mean) / std;
        }
        NDArray images = manager.create(standardised, new Shape(n, 1, s, s));
        NDArray labels = manager.create(scenes.labels(), new Shape(n, s, s));
        return new SceneTensors(scenes, images, labels);
    }

    /**
     * The mean and standard deviation of the scenes' pixels.
     *
     * @param scenes the scenes
     * @return {@code {mean, std}}
     */
    public static float[] moments(Scenes scenes) {
        double sum = 0;
        double squares = 0;
        for (float v : scenes.images()) {
            sum += v;
            squares += (double) v * v;
        }
        int count = scenes.images().length;
        double mean = sum / count;
        double var = Math.max(squares / count - mean * mean, 1e-12);
        return new float[] {(float) mean, (float) Math.sqrt(var)};
    }
}
