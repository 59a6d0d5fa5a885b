package io.github.djllovasz.benchmarks;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the benchmarks with JMH and reports them: the main table (the library against the floor
 * of its own sort, a hand-written loop and cross-entropy, at every shape and label kind), the
 * scaling run and the memory run. Flags: {@link BenchmarkOptions#usage()}.
 *
 * <p>Every trial runs in a forked JVM (JMH); under {@code mvn exec:java} the forks get this
 * module's classpath through {@link ForkClasspath}. Results go to the console (a table and one
 * {@code bench ...} line per row) and to {@code results/benchmarks.csv} and {@code .json}, with
 * JMH's own log of each group under {@code results/jmh/}.
 */
public final class BenchmarkMain {

    /** The system property DJL's PyTorch engine reads its intra-op thread count from. */
    private static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

    private static final String PACKAGE = BenchmarkMain.class.getPackageName() + ".";

    private final BenchmarkOptions options;
    private final String[] args;
    private final Map<String, Object> meta = new LinkedHashMap<>();
    private int groupsDone;

    private BenchmarkMain(BenchmarkOptions options, String[] args) {
        this.options = options;
        this.args = args.clone();
    }

    /**
     * Runs the selected modes.
     *
     * @param args flags, see {@link BenchmarkOptions#usage()}
     * @throws Exception if JMH or a results file fails
     */
    public static void main(String[] args) throws Exception {
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(BenchmarkOptions.usage());
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.println(BenchmarkOptions.usage());
            return;
        }
        new BenchmarkMain(options, args).run();
    }

    private void run() throws Exception {
        ForkClasspath.ensure();
        Files.createDirectories(options.out);
        describeRun();
        long start = System.nanoTime();
        if (options.table) {
            runTable();
        }
        if (options.allocatorCheck) {
            runAllocatorCheck();
        }
        if (options.scaling) {
            runScaling();
        }
        if (options.memoryCalls > 0) {
            runMemory();
        }
        System.out.printf(
                Locale.ROOT,
                "%ndone in %.0f s; load average now %s; results in %s%n",
                (System.nanoTime() - start) / 1e9,
                SystemInfo.loadAverage(),
                options.out.toAbsolutePath());
    }

    private void describeRun() {
        Engine engine = Engine.getInstance();
        meta.put("started", Instant.now().toString());
        meta.put("args", String.join(" ", args));
        meta.put("device", BenchInputs.device().toString());
        meta.put("engine", engine.getEngineName() + " " + engine.getVersion());
        meta.put("djl", Engine.getDjlVersion());
        meta.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        meta.put("cpu", SystemInfo.cpuModel());
        meta.put("cores", Runtime.getRuntime().availableProcessors());
        meta.put("load_average_start", SystemInfo.loadAverage());
        String threads = options.threads != null
                ? options.threads.toString() : System.getProperty(THREADS_PROPERTY, "engine default (cores)");
        meta.put("intra_op_threads", threads);
        Map<String, String> allocators = new LinkedHashMap<>();
        for (Allocator a : options.allocators) {
            allocators.put(a.id(), a.describe(options.tunables));
        }
        meta.put("allocators", allocators);
        System.out.println("djl-lovasz benchmarks: " + meta.get("engine") + " (DJL " + meta.get("djl")
                + "), device " + meta.get("device") + ", float32, forward + backward in a GradientCollector");
        System.out.println("machine: " + meta.get("cpu") + ", " + meta.get("cores") + " cores, load average "
                + meta.get("load_average_start") + ", " + meta.get("jvm") + "; PyTorch intra-op threads: "
                + threads);
        for (Map.Entry<String, String> a : allocators.entrySet()) {
            System.out.println("allocator " + a.getKey() + ": " + a.getValue());
        }
        System.out.println("results folder: " + options.out.toAbsolutePath()
                + " (JMH logs of each group in jmh/)");
    }

    // ---------------------------------------------------------------- table

    /**
     * What one table stage measures.
     *
     * @param name the file base name and title ({@code benchmarks}, {@code allocator})
     * @param shapes softmax shapes
     * @param hingeShape the hinge shape or {@code null}
     * @param labels label kinds
     * @param perImage row layouts
     * @param variants variants
     * @param allocators allocators, run side by side for each shape
     */
    private record TableSpec(
            String name,
            List<BenchShape> shapes,
            BenchShape hingeShape,
            List<LabelKind> labels,
            List<Boolean> perImage,
            List<String> variants,
            List<Allocator> allocators) {}

    private void runTable() throws Exception {
        runTable(new TableSpec(
                "benchmarks",
                options.shapes,
                options.hingeShape,
                options.labels,
                options.perImage,
                List.copyOf(options.variants),
                options.allocators));
    }

    /**
     * The allocator check: the same trials under the default and the tuned allocator, side by
     * side per shape, on the shapes with the largest buffers.
     */
    private void runAllocatorCheck() throws Exception {
        runTable(new TableSpec(
                "allocator",
                options.allocatorShapes,
                null,
                List.of(LabelKind.REALISTIC),
                List.of(false),
                options.variants.stream().filter(v -> !v.equals("ce")).toList(),
                List.of(Allocator.DEFAULT, Allocator.TUNED)));
    }

    private void runTable(TableSpec spec) throws Exception {
        List<Measurement> results = new ArrayList<>();
        List<String> methods = spec.variants().stream().filter(v -> !v.equals("ce")).toList();
        String[] labels = spec.labels().stream().map(LabelKind::id).toArray(String[]::new);
        String[] perImage = spec.perImage().stream().map(String::valueOf).toArray(String[]::new);
        System.out.printf(
                Locale.ROOT,
                "%n%s: softmax %s%s, labels %s, perImage %s, variants %s, allocators %s%n",
                spec.name().equals("benchmarks") ? "table" : "allocator check",
                spec.shapes().stream().map(BenchShape::toString).collect(Collectors.joining(",")),
                spec.hingeShape() == null ? "" : ", hinge " + spec.hingeShape(),
                String.join(",", labels),
                String.join(",", perImage),
                String.join(",", spec.variants()),
                spec.allocators().stream().map(Allocator::id).collect(Collectors.joining(",")));
        List<BenchShape> all = new ArrayList<>(spec.shapes());
        if (spec.hingeShape() != null) {
            all.add(spec.hingeShape());
        }
        for (BenchShape shape : all) {
            boolean hinge = shape == spec.hingeShape();
            List<String> include = new ArrayList<>();
            if (!methods.isEmpty()) {
                include.add((hinge ? "HingeBenchmark" : "SoftmaxBenchmark") + "\\.(" + String.join("|", methods) + ")");
            }
            if (spec.variants().contains("ce")) {
                include.add((hinge ? "BinaryCrossEntropyBenchmark" : "CrossEntropyBenchmark") + "\\.ce");
            }
            if (include.isEmpty()) {
                continue;
            }
            Map<String, String[]> params = new LinkedHashMap<>();
            params.put(hinge ? "hingeShape" : "shape", new String[] {shape.toString()});
            params.put("labels", labels);
            params.put("perImage", perImage);
            RunPlan plan = RunPlan.forElements(shape.elements(), options);
            for (Allocator allocator : spec.allocators()) {
                List<Measurement> group =
                        runGroup((hinge ? "hinge " : "softmax ") + shape, include, params, plan, allocator);
                results.addAll(group);
                printRows(TableRow.of(group));
                writeTable(spec.name(), results);
            }
        }
        List<TableRow> rows = TableRow.of(results);
        System.out.println("\n== " + (spec.name().equals("benchmarks") ? "table" : "allocator check")
                + " (median ms of one call; ours, loop, ce: forward + backward;"
                + " floor: argSort + cumSum, forward only) ==");
        printRows(rows);
        if (spec.allocators().size() > 1) {
            printAllocatorComparison(rows);
        }
    }

    private static void printRows(List<TableRow> rows) {
        System.out.println(TableRow.header());
        for (TableRow r : rows) {
            System.out.println(r.line());
        }
        System.out.println();
        for (TableRow r : rows) {
            System.out.println(r.benchLine());
        }
    }

    private static void printAllocatorComparison(List<TableRow> rows) {
        System.out.println("\n== allocator: tuned against default (same shapes, side by side in this run) ==");
        String format = "%-7s  %-14s  %-9s  %-8s  %10s  %10s  %8s  %12s  %12s  %11s  %11s%n";
        System.out.printf(Locale.ROOT, format, "kind", "BxCxHxW", "labels", "perImage", "ours dflt", "ours tuned",
                "tuned/d", "o/floor dflt", "o/floor tund", "loop/o dflt", "loop/o tund");
        for (TableRow d : rows) {
            if (d.allocator() != Allocator.DEFAULT) {
                continue;
            }
            for (TableRow t : rows) {
                if (t.allocator() == Allocator.TUNED
                        && t.kind().equals(d.kind())
                        && t.shape().equals(d.shape())
                        && t.labels() == d.labels()
                        && java.util.Objects.equals(t.perImage(), d.perImage())) {
                    System.out.printf(Locale.ROOT, format, d.kind(), d.shape(), d.labels().id(),
                            String.valueOf(d.perImage()), Measurement.ms(d.ours()), Measurement.ms(t.ours()),
                            Measurement.ratio(t.ours() / d.ours()), Measurement.ratio(d.oursOverFloor()),
                            Measurement.ratio(t.oursOverFloor()), Measurement.ratio(d.loopOverOurs()),
                            Measurement.ratio(t.loopOverOurs()));
                }
            }
        }
    }

    private void writeTable(String name, List<Measurement> results) throws IOException {
        meta.put("load_average_end", SystemInfo.loadAverage());
        ResultFiles.writeTable(options.out, name, meta, TableRow.of(results), results);
    }

    // ---------------------------------------------------------------- scaling

    private void runScaling() throws Exception {
        List<Measurement> results = new ArrayList<>();
        System.out.printf(
                Locale.ROOT,
                "%nscaling: ours (pooled, PRESENT, forward + backward) and floor at P = 2^%d..2^%d pixels,"
                        + " C = %d, realistic labels, one image%n",
                options.scalingMinLog2,
                options.scalingMaxLog2,
                options.scalingClasses);
        List<String> methods = options.variants.stream().filter(v -> v.equals("ours") || v.equals("floor")).toList();
        if (methods.isEmpty()) {
            methods = List.of("ours");
        }
        for (Allocator allocator : options.allocators) {
            for (int k = options.scalingMinLog2; k <= options.scalingMaxLog2; k++) {
                BenchShape shape = ScalingBenchmark.shapeFor(k, options.scalingClasses);
                Map<String, String[]> params = new LinkedHashMap<>();
                params.put("log2Pixels", new String[] {String.valueOf(k)});
                params.put("scalingClasses", new String[] {String.valueOf(options.scalingClasses)});
                params.put("scalingLabels", new String[] {"realistic"});
                RunPlan plan = RunPlan.forElements(shape.elements(), options);
                results.addAll(runGroup(
                        "scaling P=2^" + k + " (" + shape + ")",
                        List.of("ScalingBenchmark\\.(" + String.join("|", methods) + ")"),
                        params,
                        plan,
                        allocator));
            }
        }
        Map<String, Object> scalingMeta = new LinkedHashMap<>(meta);
        System.out.println("\n== scaling (median ms of one call) ==");
        System.out.printf(Locale.ROOT, "%-5s  %-9s  %-16s  %-7s  %9s  %9s  %10s%n",
                "log2P", "P", "BxCxHxW", "alloc", "ours ms", "floor ms", "ours/floor");
        for (Allocator allocator : options.allocators) {
            for (int k = options.scalingMinLog2; k <= options.scalingMaxLog2; k++) {
                BenchShape shape = ScalingBenchmark.shapeFor(k, options.scalingClasses);
                double ours = Measurement.median(results, "scaling", shape, LabelKind.REALISTIC, false, allocator, "ours");
                double floor = Measurement.median(results, "scaling", shape, LabelKind.REALISTIC, false, allocator, "floor");
                System.out.printf(Locale.ROOT, "%-5d  %-9d  %-16s  %-7s  %9s  %9s  %10s%n", k, 1L << k, shape,
                        allocator.id(), Measurement.ms(ours), Measurement.ms(floor), Measurement.ratio(ours / floor));
            }
            for (String variant : methods) {
                Map<String, Object> slopes = new LinkedHashMap<>();
                String all = slopeText(results, allocator, variant, options.scalingMinLog2, slopes, "all");
                int upperFrom = Math.max(options.scalingMinLog2, (options.scalingMinLog2 + options.scalingMaxLog2 + 1) / 2);
                String upper = slopeText(results, allocator, variant, upperFrom, slopes, "upper");
                scalingMeta.put("slope_" + variant + "_" + allocator.id(), slopes);
                System.out.printf(
                        Locale.ROOT,
                        "scaling %s C=%d labels=realistic%s: slope=%s (log time over log P, P=2^%d..2^%d);"
                                + " slope=%s (P=2^%d..2^%d); P log P gives slightly above 1%n",
                        variant,
                        options.scalingClasses,
                        allocator == Allocator.DEFAULT ? "" : " alloc=" + allocator.id(),
                        all,
                        options.scalingMinLog2,
                        options.scalingMaxLog2,
                        upper,
                        upperFrom,
                        options.scalingMaxLog2);
            }
        }
        ResultFiles.writeScaling(options.out, scalingMeta, results);
    }

    private String slopeText(
            List<Measurement> results, Allocator allocator, String variant, int fromLog2,
            Map<String, Object> into, String name) {
        List<double[]> points = results.stream()
                .filter(m -> m.allocator() == allocator && m.variant().equals(variant)
                        && m.shape().pixels() >= (1L << fromLog2) && m.medianMs() > 0)
                .map(m -> new double[] {m.shape().pixels(), m.medianMs()})
                .collect(Collectors.toList());
        if (points.size() < 2) {
            into.put(name, null);
            return "n/a";
        }
        double slope = Scaling.slope(points);
        into.put(name, slope);
        into.put(name + "_from_log2", fromLog2);
        return String.format(Locale.ROOT, "%.3f", slope);
    }

    // ---------------------------------------------------------------- memory

    private void runMemory() throws IOException, InterruptedException {
        for (Allocator allocator : options.allocators) {
            List<String> command = new ArrayList<>();
            command.add(allocator.launcher(options.out, options.tunables));
            command.addAll(List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"));
            command.addAll(forkedSystemProperties());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), MemoryCheck.class.getName(),
                    String.valueOf(options.memoryCalls), options.memoryShape.toString(),
                    options.out.resolve("memory-" + allocator.id() + ".json").toString()));
            System.out.printf(Locale.ROOT, "%nmemory run, allocator %s (%s), fresh JVM with a fixed pre-touched heap%n",
                    allocator.id(), allocator.describe(options.tunables));
            int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
            if (exit != 0) {
                System.out.println("memory run exited with status " + exit);
            }
        }
    }

    // ---------------------------------------------------------------- JMH

    private List<Measurement> runGroup(
            String title, List<String> include, Map<String, String[]> params, RunPlan plan, Allocator allocator)
            throws RunnerException, IOException {
        groupsDone++;
        Path logs = options.out.resolve("jmh");
        Files.createDirectories(logs);
        Path log = logs.resolve(String.format(Locale.ROOT, "%02d-%s-%s.log", groupsDone,
                title.replaceAll("[^A-Za-z0-9^=]+", "_").replace('^', 'p'), allocator.id()));
        ChainedOptionsBuilder builder = new OptionsBuilder()
                .include("^" + java.util.regex.Pattern.quote(PACKAGE) + "(" + String.join("|", include) + ")$")
                .forks(options.forks)
                .mode(plan.mode())
                .timeUnit(TimeUnit.MILLISECONDS)
                .warmupIterations(plan.warmup())
                .measurementIterations(plan.measure())
                .jvm(allocator.launcher(options.out, options.tunables))
                .jvmArgs(forkedSystemProperties().toArray(String[]::new))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.NORMAL)
                .output(log.toString());
        if (plan.mode() == Mode.SampleTime) {
            builder.warmupTime(plan.iterationTime()).measurementTime(plan.iterationTime());
        }
        for (Map.Entry<String, String[]> p : params.entrySet()) {
            builder.param(p.getKey(), p.getValue());
        }
        System.out.printf(Locale.ROOT, "%n[%s, alloc=%s] %s ... ", title, allocator.id(), plan.describe());
        System.out.flush();
        long start = System.nanoTime();
        Collection<RunResult> results = new Runner(builder.build()).run();
        List<Measurement> measurements = new ArrayList<>();
        for (RunResult r : results) {
            measurements.add(Measurement.of(r, allocator));
        }
        System.out.printf(Locale.ROOT, "%d trials in %.0f s (load %s)%n",
                measurements.size(), (System.nanoTime() - start) / 1e9, SystemInfo.loadAverage());
        if (measurements.isEmpty()) {
            throw new IllegalStateException("JMH ran no trial for " + title + "; see " + log);
        }
        return measurements;
    }

    /**
     * The forked JVMs' arguments (replacing JMH's default, this JVM's own arguments, which under
     * Maven are Maven's): offline DJL, quiet logging, and every {@code ai.djl.*} property set here.
     */
    private List<String> forkedSystemProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("ai.djl.offline", "true");
        props.put("org.slf4j.simpleLogger.defaultLogLevel", "error");
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("ai.djl.")) {
                props.put(name, System.getProperty(name));
            }
        }
        if (options.threads != null) {
            props.put(THREADS_PROPERTY, options.threads.toString());
        }
        List<String> list = new ArrayList<>();
        props.forEach((k, v) -> list.add("-D" + k + "=" + v));
        return list;
    }
}
