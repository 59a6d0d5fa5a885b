package io.github.djllovasz.examples.fashion;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Formats the runs' held-out results as a Markdown table: per-class IoU, the three mIoU measures
 * (dataset, per image, per class) and the worst scenes' mIoU, pixel accuracy, step and wall time.
 */
public final class ResultsTable {

    /**
     * A measure of a run, as a table row.
     *
     * @param name the row's name
     * @param value the measure, a fraction or NaN
     */
    public record Measure(String name, ToDoubleFunction<RunResult> value) {}

    /** The held-out measures below the per-class rows, the first (mIoU^D) in bold. */
    public static final List<Measure> MEASURES = List.of(
            new Measure("mIoU^D (dataset)", RunResult::meanIou),
            new Measure("mIoU^I (per image)", RunResult::perImageMeanIou),
            new Measure("mIoU^C (per class)", RunResult::perClassMeanIou),
            new Measure(String.format(Locale.ROOT, "worst %.0f %% mIoU^I", RunResult.WORST_PERCENT),
                    RunResult::worstMeanIou),
            new Measure("pixel accuracy", RunResult::pixelAccuracy));

    private ResultsTable() {}

    /**
     * Builds the table.
     *
     * @param results the runs, one column each
     * @return Markdown, one row per class, then mIoU^D, mIoU^I, mIoU^C, the worst 10 % scenes'
     *     mIoU^I, pixel accuracy, ms per step (median after the first epoch) and wall time
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
        for (Measure m : MEASURES) {
            boolean bold = m == MEASURES.get(0);
            text.append(bold ? "| **" + m.name().replace(" (", "** (") + " |" : "| " + m.name() + " |");
            for (RunResult r : results) {
                String v = percent(m.value().applyAsDouble(r));
                text.append(' ').append(bold ? "**" + v + "**" : v).append(" |");
            }
            text.append('\n');
        }
        text.setLength(text.length() - 1);
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
