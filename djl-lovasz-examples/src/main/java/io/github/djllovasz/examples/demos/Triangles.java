package io.github.djllovasz.examples.demos;

import java.util.Random;

/**
 * Label images of random filled triangles, as in the original demos: a background value, then one
 * random triangle per listed value, drawn in order so that later triangles cover earlier ones.
 */
public final class Triangles {

    private Triangles() {}

    /**
     * Draws label images.
     *
     * @param count the number of images
     * @param size the side of each square image
     * @param random the source of vertex positions
     * @param background the value of uncovered pixels
     * @param values one triangle per value, in drawing order
     * @return labels {@code [count * size * size]}, row-major
     */
    public static int[] draw(int count, int size, Random random, int background, int... values) {
        int pixels = size * size;
        int[] labels = new int[count * pixels];
        for (int n = 0; n < count; n++) {
            java.util.Arrays.fill(labels, n * pixels, (n + 1) * pixels, background);
            for (int value : values) {
                int[] xs = new int[3];
                int[] ys = new int[3];
                for (int k = 0; k < 3; k++) {
                    xs[k] = random.nextInt(size);
                    ys[k] = random.nextInt(size);
                }
                fill(labels, n * pixels, size, xs, ys, value);
            }
        }
        return labels;
    }

    /**
     * Fills the pixels whose integer coordinates lie in a triangle, edges included.
     *
     * @param labels the image buffer
     * @param offset where the image starts in the buffer
     * @param size the image side
     * @param xs the vertices' columns
     * @param ys the vertices' rows
     * @param value the value to write
     */
    static void fill(int[] labels, int offset, int size, int[] xs, int[] ys, int value) {
        int minX = Math.max(0, Math.min(xs[0], Math.min(xs[1], xs[2])));
        int maxX = Math.min(size - 1, Math.max(xs[0], Math.max(xs[1], xs[2])));
        int minY = Math.max(0, Math.min(ys[0], Math.min(ys[1], ys[2])));
        int maxY = Math.min(size - 1, Math.max(ys[0], Math.max(ys[1], ys[2])));
        long area = edge(xs[0], ys[0], xs[1], ys[1], xs[2], ys[2]);
        for (int y = minY; y <= maxY; y++) {
            for (int x = minX; x <= maxX; x++) {
                if (inside(xs, ys, x, y, area)) {
                    labels[offset + y * size + x] = value;
                }
            }
        }
    }

    private static boolean inside(int[] xs, int[] ys, int x, int y, long area) {
        long e0 = edge(xs[0], ys[0], xs[1], ys[1], x, y);
        long e1 = edge(xs[1], ys[1], xs[2], ys[2], x, y);
        long e2 = edge(xs[2], ys[2], xs[0], ys[0], x, y);
        if (area == 0) {
            // degenerate: the points on the segment(s) between the vertices
            return e0 == 0 && e1 == 0 && e2 == 0 && onSegments(xs, ys, x, y);
        }
        return area > 0 ? e0 >= 0 && e1 >= 0 && e2 >= 0 : e0 <= 0 && e1 <= 0 && e2 <= 0;
    }

    private static boolean onSegments(int[] xs, int[] ys, int x, int y) {
        int minX = Math.min(xs[0], Math.min(xs[1], xs[2]));
        int maxX = Math.max(xs[0], Math.max(xs[1], xs[2]));
        int minY = Math.min(ys[0], Math.min(ys[1], ys[2]));
        int maxY = Math.max(ys[0], Math.max(ys[1], ys[2]));
        return x >= minX && x <= maxX && y >= minY && y <= maxY;
    }

    private static long edge(int ax, int ay, int bx, int by, int px, int py) {
        return (long) (bx - ax) * (py - ay) - (long) (by - ay) * (px - ax);
    }
}
