package io.github.djllovasz.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The command-line flags of {@link BenchmarkMain}; {@link #usage()} lists them. */
public final class BenchmarkOptions {

    /** The softmax shapes of the issue. */
    public static final List<String> DEFAULT_SHAPES =
            List.of("16x5x64x64", "4x21x128x128", "8x19x256x256", "10x20x300x300", "2x2x512x512");

    /** The shapes of the allocator check: a mid-sized one and the profiled one. */
    public static final List<String> DEFAULT_ALLOCATOR_SHAPES = List.of("4x21x128x128", "10x20x300x300");

    /** The hinge shape of the issue. */
    public static final String DEFAULT_HINGE_SHAPE = "8x1x256x256";

    /** The variants of the table. */
    public static final List<String> VARIANTS = List.of("ours", "floor", "loop", "ce");

    /** The allocator settings the {@code tuned} allocator runs with. */
    public static final String DEFAULT_TUNABLES =
            "glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=17179869184";

    boolean help;
    boolean quick;
    boolean table;
    boolean scaling;
    boolean allocatorCheck;
    List<BenchShape> allocatorShapes = new ArrayList<>();
    int memoryCalls;
    List<BenchShape> shapes = new ArrayList<>();
    BenchShape hingeShape;
    Set<String> variants = new LinkedHashSet<>(VARIANTS);
    List<LabelKind> labels = List.of(LabelKind.UNIFORM, LabelKind.REALISTIC);
    List<Boolean> perImage = List.of(false, true);
    List<Allocator> allocators = List.of(Allocator.DEFAULT);
    String tunables = DEFAULT_TUNABLES;
    int forks = 1;
    Integer threads;
    Integer warmup;
    Integer iterations;
    int scalingClasses = 8;
    int scalingMinLog2 = 12;
    int scalingMaxLog2 = 22;
    BenchShape memoryShape = BenchShape.parse("4x5x64x64");
    Path out = Path.of("results");

    private BenchmarkOptions() {}

    /**
     * Parses the flags.
     *
     * @param args the command line
     * @return the options
     * @throws IllegalArgumentException for an unknown flag or a bad value
     */
    public static BenchmarkOptions parse(String... args) {
        BenchmarkOptions o = new BenchmarkOptions();
        List<String> shapes = null;
        String hinge = null;
        List<String> allocatorShapes = null;
        boolean modeChosen = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "-h", "--help" -> o.help = true;
                case "--quick" -> o.quick = true;
                case "--table" -> {
                    o.table = true;
                    modeChosen = true;
                }
                case "--scaling" -> {
                    o.scaling = true;
                    modeChosen = true;
                }
                case "--memory" -> {
                    o.memoryCalls = Integer.parseInt(value(args, ++i, flag));
                    modeChosen = true;
                }
                case "--allocator-check" -> {
                    o.allocatorCheck = true;
                    modeChosen = true;
                }
                case "--allocator-shapes" -> allocatorShapes = list(value(args, ++i, flag));
                case "--all" -> {
                    o.table = true;
                    o.allocatorCheck = true;
                    o.scaling = true;
                    o.memoryCalls = 10_000;
                    modeChosen = true;
                }
                case "--shapes" -> shapes = list(value(args, ++i, flag));
                case "--hinge-shape" -> hinge = value(args, ++i, flag);
                case "--only" -> {
                    o.variants = new LinkedHashSet<>(list(value(args, ++i, flag)));
                    for (String v : o.variants) {
                        if (!VARIANTS.contains(v)) {
                            throw new IllegalArgumentException("--only takes " + VARIANTS + ", got " + v);
                        }
                    }
                }
                case "--labels" -> o.labels =
                        list(value(args, ++i, flag)).stream().map(LabelKind::parse).toList();
                case "--per-image" -> o.perImage =
                        list(value(args, ++i, flag)).stream().map(BenchmarkOptions::bool).toList();
                case "--allocator" -> o.allocators = Allocator.parseList(value(args, ++i, flag));
                case "--tunables" -> o.tunables = value(args, ++i, flag);
                case "--threads" -> o.threads = Integer.parseInt(value(args, ++i, flag));
                case "--forks" -> o.forks = Integer.parseInt(value(args, ++i, flag));
                case "--warmup" -> o.warmup = Integer.parseInt(value(args, ++i, flag));
                case "--iterations" -> o.iterations = Integer.parseInt(value(args, ++i, flag));
                case "--scaling-classes" -> o.scalingClasses = Integer.parseInt(value(args, ++i, flag));
                case "--scaling-range" -> {
                    String[] range = value(args, ++i, flag).split("\\.\\.");
                    o.scalingMinLog2 = Integer.parseInt(range[0]);
                    o.scalingMaxLog2 = Integer.parseInt(range[range.length - 1]);
                }
                case "--memory-shape" -> o.memoryShape = BenchShape.parse(value(args, ++i, flag));
                case "--out" -> o.out = Path.of(value(args, ++i, flag));
                default -> throw new IllegalArgumentException("unknown flag " + flag + "\n" + usage());
            }
        }
        if (!modeChosen) {
            o.table = true;
        }
        if (shapes == null) {
            shapes = o.quick ? List.of("2x5x32x32") : DEFAULT_SHAPES;
        }
        for (String s : shapes) {
            BenchShape shape = BenchShape.parse(s);
            if (shape.classes() < 2) {
                throw new IllegalArgumentException("softmax shapes need C >= 2, got " + shape);
            }
            o.shapes.add(shape);
        }
        if (allocatorShapes == null) {
            allocatorShapes = o.quick ? List.of("2x5x32x32") : DEFAULT_ALLOCATOR_SHAPES;
        }
        for (String s : allocatorShapes) {
            o.allocatorShapes.add(BenchShape.parse(s));
        }
        if (hinge == null) {
            hinge = o.quick ? "2x1x32x32" : DEFAULT_HINGE_SHAPE;
        }
        o.hingeShape = hinge.equalsIgnoreCase("none") ? null : BenchShape.parse(hinge);
        if (o.hingeShape != null && o.hingeShape.classes() != 1) {
            throw new IllegalArgumentException("--hinge-shape must have C = 1, got " + o.hingeShape);
        }
        if (o.quick) {
            o.scalingMaxLog2 = Math.min(o.scalingMaxLog2, 16);
        }
        if (o.forks == 0 && (o.allocators.contains(Allocator.TUNED) || o.allocatorCheck)) {
            throw new IllegalArgumentException(
                    "--allocator tuned needs a forked JVM (its environment is set at start): use --forks 1");
        }
        return o;
    }

    /** @return the help text */
    public static String usage() {
        return String.join(
                "\n",
                "BenchmarkMain [mode...] [flags]",
                "modes (default --table):",
                "  --table                 ours / floor / loop / ce at every shape (the main table)",
                "  --scaling               ours and floor at P = 2^12..2^22 pixels, fitted log-log slope",
                "  --memory N              N forward+backward calls; VmRSS and live NDArrays at start/end",
                "  --allocator-check       ours/floor/loop under the default and the tuned allocator, side by",
                "                          side (realistic labels, pooled) at " + String.join(",", DEFAULT_ALLOCATOR_SHAPES),
                "  --all                   --table --allocator-check --scaling --memory 10000",
                "flags:",
                "  --quick                 tiny shapes (2x5x32x32, hinge 2x1x32x32), short iterations",
                "  --shapes A,B            softmax shapes BxCxHxW (default " + String.join(",", DEFAULT_SHAPES) + ")",
                "  --hinge-shape S|none    hinge shape (default " + DEFAULT_HINGE_SHAPE + ")",
                "  --only V,..             variants among ours,floor,loop,ce (default all)",
                "  --labels K,..           uniform,realistic (default both)",
                "  --per-image B,..        false,true (default both)",
                "  --allocator A           default | tuned | both: allocator(s) of --table, --scaling, --memory",
                "                          (tuned: forks run with GLIBC_TUNABLES)",
                "  --allocator-shapes A,B  shapes of --allocator-check",
                "  --tunables T            GLIBC_TUNABLES of 'tuned' (default " + DEFAULT_TUNABLES + ")",
                "  --threads N             PyTorch intra-op threads of the forks (default: the engine's, = cores);",
                "                          1 keeps timings stable on a machine shared with other work",
                "  --forks N               JMH forks per trial (default 1; 0 runs in this JVM)",
                "  --warmup N              warmup iterations (default by size)",
                "  --iterations N          measurement iterations (default by size)",
                "  --scaling-classes C     C of the scaling run (default 8)",
                "  --scaling-range a..b    log2 P range (default 12..22; --quick caps at 16)",
                "  --memory-shape S        shape of the memory run (default 4x5x64x64)",
                "  --out DIR               results folder (default results)");
    }

    /** @return whether the variant is selected */
    boolean wants(String variant) {
        return variants.contains(variant);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static List<String> list(String text) {
        return Arrays.stream(text.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT))
                .toList();
    }

    private static boolean bool(String text) {
        if (!text.equals("true") && !text.equals("false")) {
            throw new IllegalArgumentException("--per-image takes true,false, got " + text);
        }
        return Boolean.parseBoolean(text);
    }
}
