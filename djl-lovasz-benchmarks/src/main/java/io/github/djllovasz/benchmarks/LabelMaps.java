package io.github.djllovasz.benchmarks;

import java.util.Arrays;
import java.util.Random;

/**
 * Label maps on the host, row-major {@code int[B·H·W]}. Realistic maps imitate ground truth: Voronoi
 * cells of random seeds, each painted with one of a few classes drawn for the image, and the pixels
 * nearest a cell boundary (smallest gap between the nearest and second-nearest seed) set to the
 * ignore index, as datasets such as Pascal VOC mark object outlines.
 */
public final class LabelMaps {

    /** The ignore index of realistic maps (Pascal VOC's), and its share of each image. */
    public static final int IGNORE_INDEX = 255;
    public static final double IGNORE_FRACTION = 0.05;
    /** Distinct classes drawn per image (all C when C is smaller), and the Voronoi seeds of each. */
    public static final int CLASSES_PER_IMAGE = 5;
    private static final int SEEDS_PER_CLASS = 2;

    private LabelMaps() {}

    /** @return {@code B·H·W} labels of the kind for the prediction shape; C bounds the ids, C = 1 gives 0/1 labels */
    public static int[] generate(LabelKind kind, BenchShape shape, long seed) {
        int classes = Math.max(shape.classes(), 2);
        int[] labels = new int[Math.toIntExact(shape.pixels())];
        Random random = new Random(seed);
        if (kind == LabelKind.UNIFORM) {
            Arrays.setAll(labels, i -> random.nextInt(classes));
        } else {
            for (int offset = 0; offset < labels.length; offset += shape.height() * shape.width()) {
                paintImage(labels, offset, classes, shape.height(), shape.width(), random);
            }
        }
        return labels;
    }

    private static void paintImage(int[] labels, int offset, int classes, int height, int width, Random random) {
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
                // proportional to the distance to the nearest boundary, also between two cells of one class
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
        int ties = ignored; // the pixels at the threshold that are ignored too, the first in row-major order
        while (sorted[ignored - ties] < threshold) {
            ties--;
        }
        for (int i = 0; i < pixels; i++) {
            if (margin[i] < threshold || margin[i] == threshold && ties-- > 0) {
                labels[offset + i] = IGNORE_INDEX;
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
