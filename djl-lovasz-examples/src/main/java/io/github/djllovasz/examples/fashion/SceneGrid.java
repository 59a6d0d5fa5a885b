package io.github.djllovasz.examples.fashion;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Draws a PNG grid of test scenes: one row per scene with the image, the ground truth and the
 * prediction of every run, labels coloured by class, and a colour legend.
 */
public final class SceneGrid {

    /** Colours of the 11 classes; background is black. */
    static final Color[] PALETTE = {
        new Color(0, 0, 0), new Color(230, 25, 75), new Color(60, 180, 75),
        new Color(255, 225, 25), new Color(0, 130, 200), new Color(245, 130, 48),
        new Color(145, 30, 180), new Color(70, 240, 240), new Color(240, 50, 230),
        new Color(210, 245, 60), new Color(250, 190, 212)
    };

    private static final int SCALE = 3;
    private static final int GAP = 6;
    private static final int HEADER = 24;

    private SceneGrid() {}

    /**
     * Writes the grid.
     *
     * @param test the held-out scenes
     * @param samples the scene indices, one row each
     * @param results the runs, whose {@code samplePredictions} follow {@code samples}
     * @param file the PNG to write
     * @return the file
     * @throws IOException if writing fails
     */
    public static Path write(
            SceneComposer.Scenes test, int[] samples, List<RunResult> results, Path file)
            throws IOException {
        int size = test.size();
        int cell = size * SCALE;
        List<String> headers = new ArrayList<>(List.of("image", "ground truth"));
        results.forEach(r -> headers.add(r.recipe().label()));
        int columns = headers.size();
        int legendHeight = 2 * 20 + GAP;
        int width = columns * (cell + GAP) + GAP;
        int height = HEADER + samples.length * (cell + GAP) + GAP + legendHeight;
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
                RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        FontMetrics metrics = g.getFontMetrics();
        g.setColor(Color.BLACK);
        for (int col = 0; col < columns; col++) {
            String text = headers.get(col);
            int x = GAP + col * (cell + GAP) + (cell - metrics.stringWidth(text)) / 2;
            g.drawString(text, x, HEADER - 7);
        }
        for (int row = 0; row < samples.length; row++) {
            int y = HEADER + row * (cell + GAP);
            drawImage(canvas, test.imageOf(samples[row]), size, GAP, y);
            drawLabels(canvas, test.labelsOf(samples[row]), size, GAP + cell + GAP, y);
            for (int k = 0; k < results.size(); k++) {
                int x = GAP + (k + 2) * (cell + GAP);
                drawLabels(canvas, results.get(k).samplePredictions().get(row), size, x, y);
            }
        }
        drawLegend(g, GAP, HEADER + samples.length * (cell + GAP) + GAP, width);
        g.dispose();
        ImageIO.write(canvas, "png", file.toFile());
        return file;
    }

    private static void drawImage(BufferedImage canvas, float[] image, int size, int x0, int y0) {
        for (int i = 0; i < size * size; i++) {
            int v = Math.max(0, Math.min(255, Math.round(image[i] * 255)));
            fillCell(canvas, x0, y0, i / size, i % size, new Color(v, v, v).getRGB());
        }
    }

    private static void drawLabels(BufferedImage canvas, int[] labels, int size, int x0, int y0) {
        for (int i = 0; i < size * size; i++) {
            fillCell(canvas, x0, y0, i / size, i % size, PALETTE[labels[i]].getRGB());
        }
    }

    private static void fillCell(BufferedImage canvas, int x0, int y0, int r, int c, int rgb) {
        for (int dy = 0; dy < SCALE; dy++) {
            for (int dx = 0; dx < SCALE; dx++) {
                canvas.setRGB(x0 + c * SCALE + dx, y0 + r * SCALE + dy, rgb);
            }
        }
    }

    private static void drawLegend(Graphics2D g, int x0, int y0, int width) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics metrics = g.getFontMetrics();
        int x = x0;
        int y = y0;
        for (int c = 0; c < PALETTE.length; c++) {
            String name = ResultsTable.className(c);
            int itemWidth = 16 + metrics.stringWidth(name) + 14;
            if (x + itemWidth > width) {
                x = x0;
                y += 20;
            }
            g.setColor(PALETTE[c]);
            g.fillRect(x, y, 12, 12);
            g.setColor(Color.GRAY);
            g.drawRect(x, y, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(name, x + 16, y + 11);
            x += itemWidth;
        }
    }
}
