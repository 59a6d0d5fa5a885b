package io.github.djllovasz.benchmarks;

import ai.djl.engine.Engine;
import java.io.File;
import java.net.URI;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link SoftmaxBenchmark} and {@link HingeBenchmark} with JMH, one group of trials per shape
 * (a forked JVM per trial), prints the table and a {@code bench ...} line per row, and has JMH write
 * every trial to {@code jmh-result.json} and {@code .csv} in the results folder. Flags: {@link #USAGE}.
 */
public final class BenchmarkMain {

    /** The default shapes: softmax, then the hinge (C = 1). */
    static final List<String> DEFAULT_SHAPES = List.of(
            "16x5x64x64", "4x21x128x128", "8x19x256x256", "10x20x300x300", "2x2x512x512", "8x1x256x256");
    static final List<String> QUICK_SHAPES = List.of("2x5x32x32", "2x1x32x32");
    /** Prediction elements (B·C·H·W) from which calls are timed one by one. */
    static final long SINGLE_SHOT_ELEMENTS = 1L << 21;
    static final int SCALING_CLASSES = 8;

    static final String USAGE = String.join("\n",
            "BenchmarkMain [flags] [-- JMH options]",
            "  --shapes A,B      shapes BxCxHxW; C = 1 runs the hinge (default " + String.join(",", DEFAULT_SHAPES) + ")",
            "  --only V,..       variants among " + String.join(",", LossBenchmark.VARIANTS) + " (default all)",
            "  --labels K,..     uniform,realistic (default both)",
            "  --per-image B,..  false,true (default both)",
            "  --quick           tiny shapes (" + String.join(",", QUICK_SHAPES) + "), 1 + 3 iterations of 200 ms",
            "  --scaling         instead of the table: ours and floor at P = 2^12..2^22 pixels (--quick: ..2^16),",
            "                    C = " + SCALING_CLASSES + ", one image, realistic labels, with the log-log slope",
            "  --threads N       PyTorch intra-op threads of the forks (default the engine's, = cores)",
            "  --out DIR         results folder (default results)",
            "  --help            this text; '-- -h' lists JMH's options",
            "After --, JMH's own options override the defaults, e.g. -f 3 (forks), -wi 5 -i 10 (iterations),",
            "-w 2s -r 2s (iteration time), -bm ss (mode), -jvmArgsAppend \"-Xmx8g\".");

    private List<BenchShape> shapes;
    private List<String> variants = LossBenchmark.VARIANTS;
    private List<String> labels = List.of("uniform", "realistic");
    private List<String> perImage = List.of("false", "true");
    private boolean help;
    private boolean quick;
    private boolean scaling;
    private Integer threads;
    private Path out = Path.of("results");
    private CommandLineOptions jmh;
    private final List<RunResult> all = new ArrayList<>();
    private final Map<String, Double> medians = new HashMap<>();
    private int groups;

    private BenchmarkMain() {}

    /** Runs the table (or the scaling series); flags: {@link #USAGE}. */
    public static void main(String[] args) throws Exception {
        BenchmarkMain main;
        try {
            main = parse(args);
        } catch (IllegalArgumentException | CommandLineOptionException e) {
            System.err.println(e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        if (main.help || main.jmh.shouldHelp()) {
            System.out.println(USAGE);
            if (main.jmh.shouldHelp()) {
                main.jmh.showHelp();
            }
            return;
        }
        forkClasspath();
        Files.createDirectories(main.out.resolve("jmh"));
        Engine engine = Engine.getInstance();
        System.out.printf(Locale.ROOT, "djl-lovasz benchmarks: %s %s (DJL %s), device %s, float32, %d cores,"
                        + " PyTorch intra-op threads of the forks: %s; results in %s%n",
                engine.getEngineName(), engine.getVersion(), Engine.getDjlVersion(), BenchInputs.device(),
                Runtime.getRuntime().availableProcessors(), main.threads == null ? "engine default" : main.threads,
                main.out.toAbsolutePath());
        long start = System.nanoTime();
        if (main.scaling) {
            main.runScaling();
        } else {
            main.runTable();
        }
        System.out.printf(Locale.ROOT, "%ndone in %.0f s; JMH results in %s (jmh-result.json, .csv, logs in jmh/)%n",
                (System.nanoTime() - start) / 1e9, main.out.toAbsolutePath());
    }

    static BenchmarkMain parse(String... args) throws CommandLineOptionException {
        BenchmarkMain m = new BenchmarkMain();
        List<String> shapes = null;
        int i = 0;
        for (; i < args.length && !args[i].equals("--"); i++) {
            String flag = args[i];
            switch (flag) {
                case "-h", "--help" -> m.help = true;
                case "--quick" -> m.quick = true;
                case "--scaling" -> m.scaling = true;
                case "--shapes" -> shapes = list(args, ++i, flag, null);
                case "--only" -> m.variants = list(args, ++i, flag, LossBenchmark.VARIANTS);
                case "--labels" -> m.labels = list(args, ++i, flag, List.of("uniform", "realistic"));
                case "--per-image" -> m.perImage = list(args, ++i, flag, List.of("false", "true"));
                case "--threads" -> m.threads = Integer.parseInt(list(args, ++i, flag, null).get(0));
                case "--out" -> m.out = Path.of(list(args, ++i, flag, null).get(0));
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        m.jmh = new CommandLineOptions(Arrays.copyOfRange(args, Math.min(i + 1, args.length), args.length));
        m.shapes = (shapes != null ? shapes : m.quick ? QUICK_SHAPES : DEFAULT_SHAPES).stream()
                .map(BenchShape::parse).toList();
        return m;
    }

    private static List<String> list(String[] args, int i, String flag, List<String> allowed) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        List<String> values = Arrays.stream(args[i].split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).toList();
        values.stream().filter(v -> allowed != null && !allowed.contains(v)).findFirst().ifPresent(v -> {
            throw new IllegalArgumentException(flag + " takes " + String.join(",", allowed) + ", got " + v);
        });
        return values;
    }

    /** JMH gives its forks {@code java.class.path}: under {@code exec:java} Maven's launcher, not this module's jars. */
    static void forkClasspath() {
        if (!System.getProperty("java.class.path", "").contains("jmh-core")
                && Thread.currentThread().getContextClassLoader() instanceof URLClassLoader loader) {
            System.setProperty("java.class.path", Arrays.stream(loader.getURLs())
                    .map(u -> Path.of(URI.create(u.toString())).toString())
                    .collect(Collectors.joining(File.pathSeparator)));
        }
    }

    private void runTable() throws RunnerException {
        List<String> lovasz = variants.stream().filter(v -> !v.equals("ce")).toList();
        for (BenchShape shape : shapes) {
            if (!lovasz.isEmpty()) {
                run(shape, Map.of("labels", labels, "perImage", perImage, "variant", lovasz));
            }
            if (variants.contains("ce")) { // no per-image setting: run once, as perImage=false
                run(shape, Map.of("labels", labels, "perImage", List.of("false"), "variant", List.of("ce")));
            }
        }
        System.out.println("\n== table (median ms of one call; ours (Kernel.AUTO), engine (Kernel.ENGINE),"
                + " loop, ce: forward + backward; floor: argSort + cumSum, forward only) ==\n");
        System.out.println("| loss | B×C×H×W | labels | per image | ours ms | engine ms | floor ms | loop ms | CE ms"
                + " | ours/floor | engine/floor | loop/ours | ours/CE |");
        System.out.println("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        List<String> bench = new ArrayList<>();
        for (BenchShape shape : shapes) {
            String kind = kind(shape);
            for (String label : labels) {
                for (String layout : lovasz.isEmpty() ? Arrays.asList((String) null) : perImage) {
                    double ours = median(shape, label, layout, "ours");
                    double engine = median(shape, label, layout, "engine");
                    double floor = median(shape, label, layout, "floor");
                    double loop = median(shape, label, layout, "loop");
                    double ce = median(shape, label, null, "ce");
                    String p = layout == null ? "n/a" : layout;
                    System.out.println(String.join(" | ", "| " + kind, shape.toString().replace('x', '×'), label, p,
                            tableMs(ours), tableMs(engine), tableMs(floor), tableMs(loop), tableMs(ce),
                            fmt("%.2f", ours / floor), fmt("%.2f", engine / floor), fmt("%.2f", loop / ours),
                            fmt("%.1f", ours / ce)) + " |");
                    bench.add(String.format(Locale.ROOT, "bench %s B=%d C=%d H=%d W=%d perImage=%s labels=%s: ours=%s"
                            + " engine=%s floor=%s loop=%s ce=%s ours/floor=%s engine/floor=%s loop/ours=%s", kind,
                            shape.batch(), shape.classes(), shape.height(), shape.width(), p, label, benchMs(ours),
                            benchMs(engine), benchMs(floor), benchMs(loop), benchMs(ce), fmt("%.2f", ours / floor),
                            fmt("%.2f", engine / floor), fmt("%.2f", loop / ours)));
                }
            }
        }
        System.out.println();
        bench.forEach(System.out::println);
    }

    private double median(BenchShape shape, String labels, String perImage, String variant) {
        return medians.getOrDefault(key(shape.toString(), labels, perImage, variant), Double.NaN);
    }

    private static String key(String shape, String labels, String perImage, String variant) {
        return String.join(" ", shape, labels, variant.equals("ce") ? "-" : perImage, variant);
    }

    private static String kind(BenchShape shape) {
        return shape.classes() == 1 ? "hinge" : "softmax";
    }

    /** @return the scaling series' shape of P = 2^k pixels: {@code 1xCx2^⌊k/2⌋x2^⌈k/2⌉} */
    static BenchShape scalingShape(int log2Pixels, int classes) {
        return new BenchShape(1, classes, 1 << (log2Pixels / 2), 1 << (log2Pixels - log2Pixels / 2));
    }

    private void runScaling() throws RunnerException {
        List<String> measured = variants.stream()
                .filter(v -> v.equals("ours") || v.equals("engine") || v.equals("floor")).toList();
        measured = measured.isEmpty() ? List.of("ours") : measured;
        int min = 12;
        int max = quick ? 16 : 22;
        for (int k = min; k <= max; k++) {
            run(scalingShape(k, SCALING_CLASSES), Map.of("labels", List.of("realistic"),
                    "perImage", List.of("false"), "variant", measured));
        }
        System.out.println("\n== scaling (median ms of one call) ==");
        String format = "%-5s  %-9s  %-14s  %9s  %9s  %9s  %10s  %12s%n";
        System.out.printf(Locale.ROOT, format, "log2P", "P", "BxCxHxW", "ours ms", "engine ms", "floor ms",
                "ours/floor", "engine/floor");
        for (int k = min; k <= max; k++) {
            BenchShape shape = scalingShape(k, SCALING_CLASSES);
            double ours = median(shape, "realistic", "false", "ours");
            double engine = median(shape, "realistic", "false", "engine");
            double floor = median(shape, "realistic", "false", "floor");
            System.out.printf(Locale.ROOT, format, k, 1L << k, shape, benchMs(ours), benchMs(engine), benchMs(floor),
                    fmt("%.2f", ours / floor), fmt("%.2f", engine / floor));
        }
        int upper = (min + max + 1) / 2;
        for (String v : measured) {
            System.out.printf(Locale.ROOT, "scaling %s C=%d labels=realistic: slope=%s (log time over log P,"
                            + " P=2^%d..2^%d); slope=%s (P=2^%d..2^%d); P log P gives slightly above 1%n",
                    v, SCALING_CLASSES, fmt("%.3f", slope(points(v, min, max))), min, max,
                    fmt("%.3f", slope(points(v, upper, max))), upper, max);
        }
    }

    private List<double[]> points(String variant, int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(k -> new double[] {1L << k,
                median(scalingShape(k, SCALING_CLASSES), "realistic", "false", variant)}).toList();
    }

    /** @return the least-squares slope of log(t) over log(P) of pairs {@code {P, t}} (1: linear), NaN for fewer than two P */
    static double slope(List<double[]> points) {
        double n = points.size();
        double sx = points.stream().mapToDouble(p -> Math.log(p[0])).sum();
        double sy = points.stream().mapToDouble(p -> Math.log(p[1])).sum();
        double sxy = points.stream().mapToDouble(p -> Math.log(p[0]) * Math.log(p[1])).sum();
        double sxx = points.stream().mapToDouble(p -> Math.log(p[0]) * Math.log(p[0])).sum();
        double d = n * sxx - sx * sx;
        return n < 2 || d == 0 ? Double.NaN : (n * sxy - sx * sy) / d;
    }

    /** Runs one group of trials at a shape; the JMH options after {@code --} override these defaults. */
    private void run(BenchShape shape, Map<String, List<String>> params) throws RunnerException {
        Class<?> type = shape.classes() == 1 ? HingeBenchmark.class : SoftmaxBenchmark.class;
        boolean single = !quick && shape.classes() * shape.pixels() >= SINGLE_SHOT_ELEMENTS;
        TimeValue time = TimeValue.milliseconds(quick ? 200 : 1000);
        String title = kind(shape) + " " + shape + " " + String.join(",", params.get("variant"));
        Path log = out.resolve("jmh").resolve(String.format(Locale.ROOT, "%02d-%s.log", ++groups,
                title.replaceAll("[^A-Za-z0-9]+", "-")));
        ChainedOptionsBuilder b = new OptionsBuilder().parent(jmh)
                .include("^" + Pattern.quote(type.getName()) + "\\.call$")
                .param("shape", shape.toString())
                .forks(jmh.getForkCount().orElse(1))
                .warmupIterations(jmh.getWarmupIterations().orElse(quick ? 1 : single ? 3 : 2))
                .measurementIterations(jmh.getMeasurementIterations().orElse(quick ? 3 : single ? 7 : 5))
                .warmupTime(jmh.getWarmupTime().orElse(time))
                .measurementTime(jmh.getMeasurementTime().orElse(time))
                .timeUnit(jmh.getTimeUnit().orElse(TimeUnit.MILLISECONDS))
                .jvmArgs(jmh.getJvmArgs().orElse(List.of()).toArray(String[]::new))
                .jvmArgsPrepend(forkProperties())
                .shouldFailOnError(true)
                .output(log.toString());
        if (jmh.getBenchModes().isEmpty()) {
            b.mode(single ? Mode.SingleShotTime : Mode.SampleTime);
        }
        params.forEach((name, values) -> b.param(name, values.toArray(String[]::new)));
        System.out.printf(Locale.ROOT, "[%s] labels %s, perImage %s: %s ... ", title,
                String.join(",", params.get("labels")), String.join(",", params.get("perImage")),
                single ? "SingleShotTime" : "SampleTime");
        System.out.flush();
        long start = System.nanoTime();
        Collection<RunResult> results = new Runner(b.build()).run(); // throws when no trial runs or one fails
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            medians.put(key(p.getParam("shape"), p.getParam("labels"), p.getParam("perImage"), p.getParam("variant")),
                    r.getPrimaryResult().getStatistics().getPercentile(50));
        }
        all.addAll(results);
        for (ResultFormatType format : List.of(ResultFormatType.JSON, ResultFormatType.CSV)) {
            String file = out.resolve("jmh-result." + format.name().toLowerCase(Locale.ROOT)).toString();
            ResultFormatFactory.getInstance(format, file).writeOut(all);
        }
        System.out.printf(Locale.ROOT, "%d trials in %.0f s%n", results.size(), (System.nanoTime() - start) / 1e9);
    }

    /** The forks' system properties: offline DJL, quiet logging, every {@code ai.djl.*} set here, threads. */
    private String[] forkProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("ai.djl.offline", "true");
        props.put("org.slf4j.simpleLogger.defaultLogLevel", "error");
        System.getProperties().stringPropertyNames().stream().filter(n -> n.startsWith("ai.djl."))
                .forEach(n -> props.put(n, System.getProperty(n)));
        if (threads != null) {
            props.put("ai.djl.pytorch.num_threads", threads.toString());
        }
        return props.entrySet().stream().map(e -> "-D" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    /** @return the {@code bench} line's form: {@code 70.1ms}, {@code 0.123ms} below 1 ms, or n/a */
    static String benchMs(double ms) {
        return Double.isNaN(ms) ? "n/a" : fmt(ms >= 1 ? "%.1f" : "%.3f", ms) + "ms";
    }

    /** @return the README table's form: {@code 205} from 100 ms, {@code 70.1}, {@code 0.123}, or n/a */
    static String tableMs(double ms) {
        return fmt(ms >= 100 ? "%.0f" : ms >= 1 ? "%.1f" : "%.3f", ms);
    }

    /** @return the value in the format, or n/a for NaN */
    static String fmt(String format, double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, format, value);
    }
}
