package io.github.djllovasz.benchmarks;

import java.util.Arrays;
import java.util.Random;

/**
 * Label maps for the benchmarks, generated on the host as {@code int[B·H·W]} (row-major
 * {@code [B, H, W]}).
 *
 * <p>Realistic maps imitate segmentation ground truth: each image is split into Voronoi cells of
 * random seeds, each cell painted with one of a few classes drawn for that image, and the pixels
 * closest to a cell boundary (smallest gap between the nearest and second-nearest seed) are set to
 * the ignore index, as datasets such as Pascal VOC mark object outlines.
 */
public final class LabelMaps {

    /** The ignore index of realistic maps (the Pascal VOC convention). */
    public static final int IGNORE_INDEX = 255;

    /** Distinct classes drawn per image (all C when C is smaller). */
    public static final int CLASSES_PER_IMAGE = 5;

    /** Fraction of each image set to the ignore index. */
    public static final double IGNORE_FRACTION = 0.05;

    /** Voronoi seeds per class drawn for an image. */
    private static final int SEEDS_PER_CLASS = 2;

    private LabelMaps() {}

    /**
     * Labels of the given kind.
     *
     * @param kind the kind
     * @param shape the prediction shape; its C bounds the class ids (C = 1 gives binary 0/1 labels)
     * @param seed the random seed
     * @return {@code B·H·W} labels
     */
    public static int[] generate(LabelKind kind, BenchShape shape, long seed) {
        int classes = Math.max(shape.classes(), 2);
        return kind == LabelKind.UNIFORM
                ? uniform(shape.batch(), classes, shape.height(), shape.width(), seed)
                : realistic(shape.batch(), classes, shape.height(), shape.width(), seed);
    }

    /**
     * Independent uniform class ids.
     *
     * @param batch B
     * @param classes the number of class ids
     * @param height H
     * @param width W
     * @param seed the random seed
     * @return {@code B·H·W} labels in {@code [0, classes)}
     */
    public static int[] uniform(int batch, int classes, int height, int width, long seed) {
        Random random = new Random(seed);
        int[] labels = new int[Math.multiplyExact(batch, Math.multiplyExact(height, width))];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(classes);
        }
        return labels;
    }

    /**
     * Piecewise-constant labels with {@link #CLASSES_PER_IMAGE} classes per image and
     * {@link #IGNORE_FRACTION} of boundary pixels ignored.
     *
     * @param batch B
     * @param classes the number of class ids
     * @param height H
     * @param width W
     * @param seed the random seed
     * @return {@code B·H·W} labels in {@code [0, classes)} or {@link #IGNORE_INDEX}
     */
    public static int[] realistic(int batch, int classes, int height, int width, long seed) {
        Random random = new Random(seed);
        int pixels = Math.multiplyExact(height, width);
        int[] labels = new int[Math.multiplyExact(batch, pixels)];
        for (int b = 0; b < batch; b++) {
            paintImage(labels, b * pixels, classes, height, width, random);
        }
        return labels;
    }

    private static void paintImage(
            int[] labels, int offset, int classes, int height, int width, Random random) {
        int[] drawn = drawClasses(classes, Math.min(CLASSES_PER_IMAGE, classes), random);
        int seeds = drawn.length * SEEDS_PER_CLASS;
        double[] seedY = new double[seeds];
        double[] seedX = new double[seeds];
        int[] seedClass = new int[seeds];
        for (int s = 0; s < seeds; s++) {
            seedY[s] = random.nextDouble() * height;
            seedX[s] = random.nextDouble() * width;
            seedClass[s] = drawn[s % drawn.length]; // every drawn class owns at least one cell
        }
        int pixels = height * width;
        float[] margin = new float[pixels];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double best = Double.MAX_VALUE;
                double second = Double.MAX_VALUE;
                int owner = 0;
                for (int s = 0; s < seeds; s++) {
                    double dy = y + 0.5 - seedY[s];
                    double dx = x + 0.5 - seedX[s];
                    double d = dy * dy + dx * dx;
                    if (d < best) {
                        second = best;
                        best = d;
                        owner = s;
                    } else if (d < second) {
                        second = d;
                    }
                }
                int i = y * width + x;
                labels[offset + i] = seedClass[owner];
                // Distance to the nearest cell boundary is proportional to this gap; a boundary
                // between two cells of the same class is still marked, as annotators do.
                margin[i] = (float) (Math.sqrt(second) - Math.sqrt(best));
            }
        }
        int ignored = (int) Math.round(IGNORE_FRACTION * pixels);
        if (ignored == 0) {
            return;
        }
        float[] sorted = margin.clone();
        Arrays.sort(sorted);
        float threshold = sorted[ignored - 1];
        int marked = 0;
        for (int i = 0; i < pixels && marked < ignored; i++) {
            if (margin[i] < threshold) {
                labels[offset + i] = IGNORE_INDEX;
                marked++;
            }
        }
        for (int i = 0; i < pixels && marked < ignored; i++) {
            if (margin[i] == threshold && labels[offset + i] != IGNORE_INDEX) {
                labels[offset + i] = IGNORE_INDEX;
                marked++;
            }
        }
    }

    /** Draws {@code count} distinct class ids out of {@code classes} (a partial shuffle). */
    private static int[] drawClasses(int classes, int count, Random random) {
        int[] ids = new int[classes];
        for (int i = 0; i < classes; i++) {
            ids[i] = i;
        }
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(classes - i);
            int t = ids[i];
            ids[i] = ids[j];
            ids[j] = t;
        }
        return Arrays.copyOf(ids, count);
    }
}
