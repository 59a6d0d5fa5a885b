package io.github.djllovasz.benchmarks;

import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

/**
 * The result of one JMH trial: a variant at one shape, label kind, row layout and allocator.
 *
 * @param kind {@code softmax}, {@code hinge} or {@code scaling}
 * @param shape the input shape
 * @param labels the label kind
 * @param perImage the row layout, or {@code null} for cross-entropy (which has none)
 * @param allocator the allocator of the forked JVM
 * @param variant {@code ours}, {@code floor}, {@code loop} or {@code ce}
 * @param medianMs the median time of one call
 * @param minMs the fastest call (SingleShotTime) or iteration median (SampleTime)
 * @param maxMs the slowest
 * @param samples the number of timed calls behind the median
 * @param mode the JMH mode
 */
public record Measurement(
        String kind,
        BenchShape shape,
        LabelKind labels,
        Boolean perImage,
        Allocator allocator,
        String variant,
        double medianMs,
        double minMs,
        double maxMs,
        long samples,
        String mode) {

    /**
     * Reads a JMH result of one of this package's benchmarks.
     *
     * @param result the result (its time unit is milliseconds)
     * @param allocator the allocator it ran with
     * @return the measurement
     */
    public static Measurement of(RunResult result, Allocator allocator) {
        BenchmarkParams params = result.getParams();
        String benchmark = params.getBenchmark();
        String className = benchmark.substring(0, benchmark.lastIndexOf('.'));
        String simpleName = className.substring(className.lastIndexOf('.') + 1);
        String variant = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        String kind;
        BenchShape shape;
        String labels;
        Boolean perImage = null;
        switch (simpleName) {
            case "SoftmaxBenchmark", "CrossEntropyBenchmark" -> {
                kind = "softmax";
                shape = BenchShape.parse(params.getParam("shape"));
                labels = params.getParam("labels");
            }
            case "HingeBenchmark", "BinaryCrossEntropyBenchmark" -> {
                kind = "hinge";
                shape = BenchShape.parse(params.getParam("hingeShape"));
                labels = params.getParam("labels");
            }
            case "ScalingBenchmark" -> {
                kind = "scaling";
                shape = ScalingBenchmark.shapeFor(
                        Integer.parseInt(params.getParam("log2Pixels")),
                        Integer.parseInt(params.getParam("scalingClasses")));
                labels = params.getParam("scalingLabels");
                perImage = false;
            }
            default -> throw new IllegalArgumentException("not a benchmark of this package: " + benchmark);
        }
        if (params.getParam("perImage") != null) {
            perImage = Boolean.parseBoolean(params.getParam("perImage"));
        }
        Statistics stats = result.getPrimaryResult().getStatistics();
        return new Measurement(
                kind,
                shape,
                LabelKind.parse(labels),
                perImage,
                allocator,
                variant,
                stats.getPercentile(50),
                stats.getMin(),
                stats.getMax(),
                stats.getN(),
                params.getMode().shortLabel());
    }

    /**
     * Finds a measurement.
     *
     * @param all where to look
     * @param kind the kind
     * @param shape the shape
     * @param labels the label kind
     * @param perImage the layout (ignored for {@code ce})
     * @param allocator the allocator
     * @param variant the variant
     * @return the median in ms, or NaN when it was not measured
     */
    public static double median(
            Collection<Measurement> all,
            String kind,
            BenchShape shape,
            LabelKind labels,
            Boolean perImage,
            Allocator allocator,
            String variant) {
        for (Measurement m : all) {
            if (m.kind.equals(kind)
                    && m.shape.equals(shape)
                    && m.labels == labels
                    && m.allocator == allocator
                    && m.variant.equals(variant)
                    && (variant.equals("ce") || java.util.Objects.equals(m.perImage, perImage))) {
                return m.medianMs;
            }
        }
        return Double.NaN;
    }

    /**
     * Formats milliseconds as the tables and {@code bench} lines do.
     *
     * @param ms the time, or NaN
     * @return one decimal from 1 ms up, three below, {@code n/a} for NaN
     */
    public static String ms(double ms) {
        if (Double.isNaN(ms)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, ms >= 1 ? "%.1f" : "%.3f", ms);
    }

    /**
     * Formats a ratio.
     *
     * @param ratio the ratio, or NaN
     * @return two decimals, {@code n/a} for NaN
     */
    public static String ratio(double ratio) {
        return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2f", ratio);
    }
}
