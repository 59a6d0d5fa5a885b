package io.github.djllovasz.benchmarks;

import ai.djl.engine.Engine;
import io.github.djllovasz.EvaluateOnceLoss;
import io.github.djllovasz.Kernel;
import io.github.djllovasz.LovaszHingeLoss;
import io.github.djllovasz.LovaszSoftmaxLoss;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a forward + backward call of the library loss spends its time, by stage, from PyTorch's
 * profiler (DJL's {@code JniUtils.startProfile}, by reflection so that MXNet builds): ms per call,
 * share and native ops per call. The profiler adds time per op: compare shares, not ms, with JMH.
 * Usage: {@code StageProfile [BxCxHxW[,..]] [uniform|realistic] [perImage true|false] [calls]
 * [auto|engine|host]}, C = 1 profiles the hinge; defaults {@code 4x21x128x128,8x19x256x256 uniform
 * false 5 auto}. The profiler sees the engine's ops only: the host kernel's Java time is the wall
 * time per call less the ops' total, and its own stages are logged at TRACE level
 * ({@code -Dorg.slf4j.simpleLogger.log.io.github.djllovasz.HostKernel=trace}).
 */
public final class StageProfile {

    /** Stages in table order; an op goes to the first whose list has a part of its name, else to OTHER. */
    private static final Map<String, List<String>> STAGES = new LinkedHashMap<>();
    private static final String OTHER = "other (views, autograd bookkeeping)";

    static {
        STAGES.put("softmax forward + backward", List.of("aten::softmax", "aten::sigmoid", "SoftmaxBackward0", "SigmoidBackward0"));
        STAGES.put("sort (topK / argSort)", List.of("aten::topk", "aten::argsort", "aten::sort"));
        STAGES.put("permutations, row selection (take, index, index_put)", List.of("aten::take", "aten::index", "TakeBackward0", "IndexBackward0", "IndexSelectBackward0"));
        STAGES.put("weights (cumSum, division, differences)", List.of("aten::cumsum", "aten::div", "aten::copy_", "aten::fill_", "aten::sub_", "aten::neg_"));
        STAGES.put("row dot products (forward + backward)", List.of("aten::matmul", "aten::bmm", "BmmBackward0"));
        STAGES.put("label checks, masks, PRESENT", List.of("aten::eq", "aten::ne", "aten::lt", "aten::gt", "aten::any", "aten::max", "aten::logical_", "aten::floor", "aten::where"));
        STAGES.put("errors, conversions, other elementwise", List.of("aten::to", "aten::mul", "aten::add", "aten::sub", "aten::abs", "aten::clone", "aten::reshape", "aten::arange"));
        STAGES.put("gradient accumulation", List.of("AccumulateGrad"));
        STAGES.put(OTHER, List.of());
    }

    private StageProfile() {}

    /** Prints one table per shape; throws if the engine is not PyTorch. Arguments: the class comment. */
    public static void main(String[] args) throws Exception {
        String shapes = args.length > 0 ? args[0] : "4x21x128x128,8x19x256x256";
        LabelKind kind = LabelKind.parse(args.length > 1 ? args[1] : "uniform");
        boolean perImage = args.length > 2 && Boolean.parseBoolean(args[2]);
        int calls = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        Kernel kernel = Kernel.valueOf((args.length > 4 ? args[4] : "auto").toUpperCase(Locale.ROOT));
        Method start;
        Method stop;
        try {
            Class<?> jni = Class.forName("ai.djl.pytorch.jni.JniUtils");
            start = jni.getMethod("startProfile", boolean.class, boolean.class, boolean.class);
            stop = jni.getMethod("stopProfile", String.class);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("StageProfile needs the PyTorch engine (the default profile)", e);
        }
        Engine engine = Engine.getInstance();
        for (String text : shapes.split(",")) {
            BenchShape shape = BenchShape.parse(text);
            boolean hinge = shape.classes() == 1;
            try (BenchInputs in = BenchInputs.of(shape, kind, 42)) {
                EvaluateOnceLoss loss = hinge
                        ? kind.ignoring(LovaszHingeLoss.builder().optPerImage(perImage).optKernel(kernel)).build()
                        : kind.ignoring(LovaszSoftmaxLoss.builder().optPerImage(perImage).optKernel(kernel)).build();
                Runnable call = () -> LossBenchmark.forwardBackward(in.manager(),
                        () -> loss.evaluate(in.labels(), in.logits()));
                for (int i = 0; i < 5; i++) {
                    call.run();
                }
                Path trace = Files.createTempFile("djl-lovasz-profile", ".json");
                start.invoke(null, false, false, false);
                long begin = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    call.run();
                }
                double wallMs = (System.nanoTime() - begin) / 1e6 / calls;
                stop.invoke(null, trace.toString());
                System.out.printf(Locale.ROOT, "%n%s %s, %s labels, per image %s, %s %s, kernel %s (%s), %d calls profiled%n",
                        hinge ? "hinge" : "softmax", text, kind.name().toLowerCase(Locale.ROOT), perImage,
                        engine.getEngineName(), engine.getVersion(), kernel, kernel.choose(in.logits().getDevice()),
                        calls);
                print(topLevelOps(trace), calls, wallMs);
                Files.delete(trace);
            }
        }
    }

    /** An op of the trace; start and duration in microseconds. */
    private record Op(String name, double start, double duration, String thread) {}

    /** The ops of the trace that no other op encloses (per thread). */
    private static List<Op> topLevelOps(Path trace) throws Exception {
        JsonElement root = JsonParser.parseString(Files.readString(trace));
        JsonArray events = root.isJsonArray() ? root.getAsJsonArray() : root.getAsJsonObject().getAsJsonArray("traceEvents");
        List<Op> ops = new ArrayList<>();
        for (JsonElement element : events) {
            JsonObject event = element.getAsJsonObject();
            if (event.has("dur") && "X".equals(event.get("ph").getAsString())) {
                ops.add(new Op(event.get("name").getAsString(), event.get("ts").getAsDouble(),
                        event.get("dur").getAsDouble(), event.get("tid").getAsString()));
            }
        }
        ops.sort(Comparator.comparing(Op::thread).thenComparingDouble(Op::start)
                .thenComparing(Comparator.comparingDouble(Op::duration).reversed()));
        List<Op> top = new ArrayList<>();
        Deque<Op> open = new ArrayDeque<>();
        for (Op op : ops) {
            while (!open.isEmpty() && (!open.peek().thread().equals(op.thread())
                    || open.peek().start() + open.peek().duration() <= op.start())) {
                open.pop();
            }
            if (open.isEmpty()) {
                top.add(op);
            }
            open.push(op);
        }
        return top;
    }

    private static String stage(String name) {
        return STAGES.entrySet().stream().filter(stage -> stage.getValue().stream().anyMatch(name::contains))
                .map(Map.Entry::getKey).findFirst().orElse(OTHER);
    }

    private static void print(List<Op> top, int calls, double wallMs) {
        Map<String, double[]> byStage = new LinkedHashMap<>();
        STAGES.keySet().forEach(stage -> byStage.put(stage, new double[2]));
        double total = 0;
        for (Op op : top) {
            double[] sums = byStage.get(stage(op.name()));
            sums[0] += op.duration();
            sums[1]++;
            total += op.duration();
        }
        System.out.println("| stage | ms per call | share | native ops per call |");
        System.out.println("|---|---:|---:|---:|");
        for (Map.Entry<String, double[]> entry : byStage.entrySet()) {
            double[] sums = entry.getValue();
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.0f %% | %.0f |%n", entry.getKey(),
                    sums[0] / 1000 / calls, 100 * sums[0] / total, sums[1] / calls);
        }
        System.out.printf(Locale.ROOT, "| total of the engine's ops | %.1f | 100 %% | %.0f |%n", total / 1000 / calls,
                (double) top.size() / calls);
        System.out.printf(Locale.ROOT, "wall time per call %.1f ms: outside the engine's ops (Java, host kernel) %.1f ms%n",
                wallMs, wallMs - total / 1000 / calls);
    }
}
