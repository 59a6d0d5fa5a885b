package io.github.djllovasz.benchmarks;

import ai.djl.engine.Engine;
import io.github.djllovasz.LovaszHingeLoss;
import io.github.djllovasz.LovaszSoftmaxLoss;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs many forward + backward calls of the library's losses (Lovász-Softmax pooled and per
 * image, Lovász hinge, in turn) and checks that neither resident memory nor the number of live
 * NDArrays grows. {@link BenchmarkMain} starts it in a fresh JVM with a pre-touched, fixed Java
 * heap, so resident growth is native memory.
 *
 * <p>Each call is the pattern a training loop should use: the loss is attached to a per-step
 * sub-manager before {@code backward}, since DJL's {@code GradientCollector.backward(target)}
 * creates a ones-like seed array in the target's manager and never closes it.
 */
public final class MemoryCheck {

    /** Largest resident growth accepted, from the end of the warm-up to the end. */
    public static final double MAX_RSS_GROWTH = 0.05;

    private MemoryCheck() {}

    /**
     * Runs the check and prints its figures.
     *
     * @param args {@code calls shape [json]}, e.g. {@code 10000 4x5x64x64 results/memory.json}
     * @throws IOException if the JSON cannot be written
     */
    public static void main(String[] args) throws IOException {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        BenchShape shape = BenchShape.parse(args.length > 1 ? args[1] : "4x5x64x64");
        Map<String, Object> report = run(calls, shape);
        if (args.length > 2) {
            Path json = Path.of(args[2]);
            Files.createDirectories(json.toAbsolutePath().getParent());
            Files.writeString(json, ResultFiles.toJson(report), StandardCharsets.UTF_8);
        }
        if (!Boolean.TRUE.equals(report.get("pass"))) {
            System.exit(1);
        }
    }

    /**
     * Runs {@code calls} forward + backward calls and reports memory at checkpoints.
     *
     * @param calls the number of calls (≥ 10)
     * @param shape the softmax shape; the hinge runs at {@code [B, 1, H, W]}
     * @return the report (also printed)
     */
    public static Map<String, Object> run(int calls, BenchShape shape) {
        BenchShape hingeShape = new BenchShape(shape.batch(), 1, shape.height(), shape.width());
        LovaszSoftmaxLoss pooled = LovaszSoftmaxLoss.builder().optIgnoreIndex(LabelMaps.IGNORE_INDEX).build();
        LovaszSoftmaxLoss perImage =
                LovaszSoftmaxLoss.builder().optIgnoreIndex(LabelMaps.IGNORE_INDEX).optPerImage(true).build();
        LovaszHingeLoss hinge = LovaszHingeLoss.builder().optIgnoreIndex(LabelMaps.IGNORE_INDEX).build();
        List<Map<String, Object>> checkpoints = new ArrayList<>();
        try (BenchInputs softmaxIn = BenchInputs.softmax(shape, LabelKind.REALISTIC, 7);
                BenchInputs hingeIn = BenchInputs.hinge(hingeShape, LabelKind.REALISTIC, 8)) {
            NDManager root = NDManager.newBaseManager(BenchInputs.device());
            BaseNDManager system = (BaseNDManager) root.getParentManager();
            root.close();
            System.out.printf(
                    Locale.ROOT,
                    "memory: %d forward+backward calls (softmax pooled, softmax per image, hinge in turn),"
                            + " %s realistic labels, device %s, GLIBC_TUNABLES=%s; growth is measured"
                            + " after %d warm-up calls%n",
                    calls, shape, BenchInputs.device(), System.getenv("GLIBC_TUNABLES"), warmupCalls(calls));
            // Resident memory steps up over the first ~1,000 calls while the JIT compiles and
            // glibc's per-thread arenas reach their high-water mark; growth is measured from the
            // end of this warm-up (a leak keeps growing after it).
            int warmup = warmupCalls(calls);
            int every = Math.max(1, calls / 10);
            checkpoints.add(checkpoint("start", 0, system));
            for (int i = 0; i < calls; i++) {
                int which = i % 3;
                BenchInputs in = which == 2 ? hingeIn : softmaxIn;
                try (NDManager step = in.manager().newSubManager();
                        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray loss =
                            which == 2
                                    ? hinge.evaluate(in.labels(), in.logits())
                                    : (which == 0 ? pooled : perImage).evaluate(in.labels(), in.logits());
                    loss.attach(step);
                    collector.backward(loss);
                }
                if (i + 1 == warmup) {
                    checkpoints.add(checkpoint("warm", i + 1, system));
                }
                if ((i + 1) % every == 0 && i + 1 != calls && i + 1 != warmup) {
                    checkpoints.add(checkpoint("", i + 1, system));
                }
            }
            checkpoints.add(checkpoint("end", calls, system));
        }
        return summarize(calls, shape, checkpoints);
    }

    /**
     * The calls before the resident baseline is taken.
     *
     * @param calls all calls
     * @return the first fifth, but at least 1,000 (or half the calls, when fewer than 2,000)
     */
    static int warmupCalls(int calls) {
        return Math.max(1, Math.max(calls / 5, Math.min(calls / 2, 1000)));
    }

    private static Map<String, Object> checkpoint(String label, int calls, BaseNDManager system) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("label", label);
        c.put("calls", calls);
        c.put("rss_kb", rssKb());
        c.put("live_ndarrays", system.getManagedArrays().size());
        c.put("jvm_non_heap_committed_kb",
                ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getCommitted() / 1024);
        System.out.printf(
                Locale.ROOT,
                "memory: %-5s after %6d calls: VmRSS %8d kB, live NDArrays %d (JVM non-heap committed %d kB)%n",
                label,
                calls,
                (Long) c.get("rss_kb"),
                (Integer) c.get("live_ndarrays"),
                (Long) c.get("jvm_non_heap_committed_kb"));
        return c;
    }

    private static Map<String, Object> summarize(
            int calls, BenchShape shape, List<Map<String, Object>> checkpoints) {
        Map<String, Object> start = checkpoints.get(0);
        Map<String, Object> warm =
                checkpoints.stream().filter(c -> c.get("label").equals("warm")).findFirst().orElse(start);
        Map<String, Object> end = checkpoints.get(checkpoints.size() - 1);
        long warmRss = (Long) warm.get("rss_kb");
        long endRss = (Long) end.get("rss_kb");
        double growth = warmRss > 0 ? (endRss - warmRss) / (double) warmRss : Double.NaN;
        boolean arraysFlat =
                checkpoints.stream().allMatch(c -> c.get("live_ndarrays").equals(start.get("live_ndarrays")));
        boolean rssFlat = Double.isNaN(growth) || growth < MAX_RSS_GROWTH;
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("calls", calls);
        report.put("shape", shape.toString());
        report.put("device", BenchInputs.device().toString());
        report.put("glibc_tunables", System.getenv("GLIBC_TUNABLES"));
        report.put("rss_start_kb", start.get("rss_kb"));
        report.put("rss_warm_kb", warmRss);
        report.put("rss_end_kb", endRss);
        report.put("rss_growth_after_warmup", Double.isNaN(growth) ? null : growth);
        report.put("live_ndarrays_start", start.get("live_ndarrays"));
        report.put("live_ndarrays_end", end.get("live_ndarrays"));
        report.put("pass", rssFlat && arraysFlat);
        report.put("checkpoints", checkpoints);
        System.out.printf(
                Locale.ROOT,
                "memory result: VmRSS start %d kB, after %d warm-up calls %d kB, end %d kB"
                        + " (growth after warm-up %s, limit %.0f %%); live NDArrays start %s end %s (%s): %s%n",
                (Long) start.get("rss_kb"),
                (Integer) warm.get("calls"),
                warmRss,
                endRss,
                Double.isNaN(growth) ? "n/a" : String.format(Locale.ROOT, "%+.2f %%", 100 * growth),
                100 * MAX_RSS_GROWTH,
                start.get("live_ndarrays"),
                end.get("live_ndarrays"),
                arraysFlat ? "constant" : "CHANGED",
                rssFlat && arraysFlat ? "PASS" : "FAIL");
        return report;
    }

    /** @return VmRSS of this process in kB from /proc/self/status, or -1 where there is none */
    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
