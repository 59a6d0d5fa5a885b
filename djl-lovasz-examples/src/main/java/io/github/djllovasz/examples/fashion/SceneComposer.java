package io.github.djllovasz.examples.fashion;

import io.github.djllovasz.examples.fashion.IdxFiles.Images;
import java.util.Arrays;
import java.util.Random;

/**
 * Composes Fashion-MNIST items into small segmentation scenes: a few items placed at random on a
 * square canvas, later items covering earlier ones. Each pixel is labelled with the class of the
 * item visible there ({@code 1 + Fashion-MNIST class}) or background 0, so there are 11 classes.
 *
 * <p>An item is visible where its intensity exceeds {@link #VISIBLE_THRESHOLD}; items are flipped
 * left-right at random. The canvas gets mild Gaussian noise so that background is not a constant.
 */
public final class SceneComposer {

    /** Number of classes in a scene: background plus the ten Fashion-MNIST classes. */
    public static final int CLASSES = 11;

    /** Intensity (0..255) above which an item's pixel belongs to the item. */
    public static final int VISIBLE_THRESHOLD = 20;

    private final int size;
    private final int minItems;
    private final int maxItems;
    private final float noise;

    /**
     * Creates a composer.
     *
     * @param size the canvas side in pixels (at least the item side, 28)
     * @param minItems the fewest items per scene
     * @param maxItems the most items per scene
     * @param noise the standard deviation of the additive noise (intensities are 0..1)
     */
    public SceneComposer(int size, int minItems, int maxItems, float noise) {
        if (minItems < 1 || maxItems < minItems) {
            throw new IllegalArgumentException("items per scene: " + minItems + ".." + maxItems);
        }
        this.size = size;
        this.minItems = minItems;
        this.maxItems = maxItems;
        this.noise = noise;
    }

    /** @return the composer of the main example: 2–4 items on 64 × 64, noise 0.05 */
    public static SceneComposer standard() {
        return new SceneComposer(64, 2, 4, 0.05f);
    }

    /** @return the canvas side */
    public int size() {
        return size;
    }

    /**
     * Composes scenes.
     *
     * @param items the item images (all the same size, at most the canvas)
     * @param itemLabels their Fashion-MNIST classes 0..9
     * @param count the number of scenes
     * @param seed the seed; the same seed and inputs give the same scenes
     * @return the scenes
     */
    public Scenes compose(Images items, byte[] itemLabels, int count, long seed) {
        if (items.rows() > size || items.cols() > size) {
            throw new IllegalArgumentException(
                    "items of " + items.rows() + " x " + items.cols() + " do not fit " + size);
        }
        Random random = new Random(seed);
        int pixels = size * size;
        float[] images = new float[count * pixels];
        int[] labels = new int[count * pixels];
        for (int n = 0; n < count; n++) {
            int itemCount = minItems + random.nextInt(maxItems - minItems + 1);
            for (int k = 0; k < itemCount; k++) {
                int item = random.nextInt(items.count());
                int top = random.nextInt(size - items.rows() + 1);
                int left = random.nextInt(size - items.cols() + 1);
                boolean flip = random.nextBoolean();
                paste(items, item, 1 + itemLabels[item], top, left, flip, n, images, labels);
            }
            for (int i = n * pixels; i < (n + 1) * pixels; i++) {
                images[i] += (float) random.nextGaussian() * noise;
            }
        }
        return new Scenes(count, size, images, labels);
    }

    private void paste(
            Images items, int item, int label, int top, int left, boolean flip, int scene,
            float[] images, int[] labels) {
        for (int r = 0; r < items.rows(); r++) {
            for (int c = 0; c < items.cols(); c++) {
                int value = items.pixel(item, r, flip ? items.cols() - 1 - c : c);
                if (value > VISIBLE_THRESHOLD) {
                    int at = (scene * size + top + r) * size + left + c;
                    images[at] = value / 255f;
                    labels[at] = label;
                }
            }
        }
    }

    /**
     * Composed scenes, row-major.
     *
     * @param count the number of scenes
     * @param size the canvas side
     * @param images intensities {@code [count, size, size]}, about 0..1
     * @param labels class ids {@code [count, size, size]}, 0 background, 1..10 items
     */
    public record Scenes(int count, int size, float[] images, int[] labels) {

        /**
         * The labels of one scene.
         *
         * @param scene the scene index
         * @return a copy, {@code size * size} ids
         */
        public int[] labelsOf(int scene) {
            int pixels = size * size;
            return Arrays.copyOfRange(labels, scene * pixels, (scene + 1) * pixels);
        }

        /**
         * The image of one scene.
         *
         * @param scene the scene index
         * @return a copy, {@code size * size} intensities
         */
        public float[] imageOf(int scene) {
            int pixels = size * size;
            return Arrays.copyOfRange(images, scene * pixels, (scene + 1) * pixels);
        }

        /** @return the fraction of background pixels, over all scenes */
        public double backgroundFraction() {
            return Arrays.stream(labels).filter(label -> label == 0).count() / (double) labels.length;
        }
    }
}
