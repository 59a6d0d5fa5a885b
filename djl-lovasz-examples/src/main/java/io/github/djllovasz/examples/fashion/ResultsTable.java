package io.github.djllovasz.examples.fashion;

import java.util.List;
import java.util.Locale;

/** Formats the runs' held-out results as a Markdown table: per-class IoU, mIoU, step and wall time. */
public final class ResultsTable {

    private ResultsTable() {}

    /**
     * Builds the table.
     *
     * @param results the runs, one column each
     * @return Markdown, one row per class, then mIoU, pixel accuracy, ms per step (median after
     *     the first epoch) and wall time
     */
    public static String markdown(List<RunResult> results) {
        StringBuilder text = new StringBuilder("| class |");
        StringBuilder rule = new StringBuilder("|---|");
        for (RunResult r : results) {
            text.append(' ').append(r.recipe().label()).append(" |");
            rule.append("---:|");
        }
        text.append('\n').append(rule).append('\n');
        for (int c = 0; c < SceneComposer.CLASSES; c++) {
            text.append("| ").append(className(c)).append(" |");
            for (RunResult r : results) {
                text.append(' ').append(percent(r.classIoU()[c])).append(" |");
            }
            text.append('\n');
        }
        text.append("| **mIoU** |");
        for (RunResult r : results) {
            text.append(" **").append(percent(r.meanIou())).append("** |");
        }
        text.append("\n| pixel accuracy |");
        for (RunResult r : results) {
            text.append(' ').append(percent(r.pixelAccuracy())).append(" |");
        }
        text.append("\n| ms per step |");
        for (RunResult r : results) {
            text.append(String.format(Locale.ROOT, " %.0f |", r.msPerStep()));
        }
        text.append("\n| wall time |");
        for (RunResult r : results) {
            text.append(String.format(Locale.ROOT, " %.0f s |", r.wallSeconds()));
        }
        return text.append('\n').toString();
    }

    /**
     * The name of a scene class.
     *
     * @param c 0 for background, 1..10 for Fashion-MNIST class c − 1
     * @return the name
     */
    public static String className(int c) {
        return c == 0 ? "background" : FashionMnist.CLASS_NAMES.get(c - 1);
    }

    /**
     * Formats a fraction as a percentage with one decimal.
     *
     * @param value the fraction, or NaN
     * @return e.g. {@code 63.2}, or {@code n/a}
     */
    public static String percent(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.1f", 100 * value);
    }
}
