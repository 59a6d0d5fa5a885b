package io.github.djllovasz.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.github.djllovasz.Kernel;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/**
 * What the parity suites share: where the fixture files are, the tolerances of the fixtures'
 * READMEs, and the per-type case counts behind the summary lines.
 *
 * <p>Tolerances: float64 {@code |Δ| ≤ 1e-12 + 1e-10·|ref|} for loss and gradients; float32 loss
 * {@code |Δ| ≤ 1e-5·max(1, |loss|)}, gradients {@code |Δ| ≤ 1e-6}.
 */
final class ParityChecks {

    /** The float types every case runs in. */
    static final DataType[] TYPES = {DataType.FLOAT64, DataType.FLOAT32};

    private ParityChecks() {}

    /**
     * Every *.json of a test-resource folder, plus those of the directory a system property names.
     *
     * @param resource the folder on the test classpath, e.g. "/parity"
     * @param property the system property, e.g. "lovasz.parity.dir"
     * @return the files, sorted within each folder
     */
    static List<Path> files(String resource, String property) throws IOException, URISyntaxException {
        List<Path> files = new ArrayList<>(jsonFiles(Paths.get(ParityChecks.class.getResource(resource).toURI())));
        String extra = System.getProperty(property, "").trim();
        if (!extra.isEmpty() && !extra.startsWith("${")) {
            Path dir = Paths.get(extra);
            assertTrue(Files.isDirectory(dir), property + " is not a directory: " + dir);
            List<Path> more = jsonFiles(dir);
            assertFalse(more.isEmpty(), property + " holds no *.json: " + dir);
            files.addAll(more);
        }
        assertFalse(files.isEmpty(), "no parity fixtures found in " + resource);
        return files;
    }

    /**
     * One dynamic test per case and float type, over every fixture file of a suite; a file with
     * no case is a failing test.
     *
     * @param resource the folder on the test classpath
     * @param property the system property naming another folder
     * @param format the fixtures' format
     * @param counts the counts a case adds to (its summary line)
     * @param check checks one case in one float type, throwing when it fails
     * @return the tests
     */
    static List<DynamicNode> tests(
            String resource,
            String property,
            String format,
            Function<Fixture.Case, Counts> counts,
            BiConsumer<Fixture.Case, DataType> check)
            throws IOException, URISyntaxException {
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path file : files(resource, property)) {
            List<Fixture.Case> cases = Fixture.read(file, format);
            if (cases.isEmpty()) {
                nodes.add(DynamicTest.dynamicTest(file.toString(), () -> fail(file + " yields zero cases")));
            }
            for (Fixture.Case c : cases) {
                for (DataType type : TYPES) {
                    AtomicInteger passed = counts.apply(c).add(type);
                    nodes.add(DynamicTest.dynamicTest(
                            c.file() + "/" + c.name() + " [" + type + "]",
                            () -> {
                                check.accept(c, type);
                                passed.incrementAndGet();
                            }));
                }
            }
        }
        return nodes;
    }

    private static List<Path> jsonFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().collect(Collectors.toList());
        }
    }

    /** Fails unless the loss is within the type's tolerance. */
    static void assertLoss(String name, DataType type, double want, double got) {
        double tol =
                type == DataType.FLOAT64
                        ? 1e-12 + 1e-10 * Math.abs(want)
                        : 1e-5 * Math.max(1, Math.abs(want));
        if (!(Math.abs(got - want) <= tol)) {
            fail(String.format(
                    "%s [%s] loss: got %.17g, want %.17g (|Δ| %.3g > %.3g)",
                    name, type, got, want, Math.abs(got - want), tol));
        }
    }

    /** Fails unless every gradient entry is within the type's tolerance. */
    static void assertGradient(String name, DataType type, String key, double[] want, double[] got) {
        assertEquals(want.length, got.length, name + ": " + key + " size");
        for (int i = 0; i < want.length; i++) {
            double tol = type == DataType.FLOAT64 ? 1e-12 + 1e-10 * Math.abs(want[i]) : 1e-6;
            if (!(Math.abs(got[i] - want[i]) <= tol)) {
                fail(String.format(
                        "%s [%s] %s[%d]: got %.17g, want %.17g (|Δ| %.3g > %.3g)",
                        name, type, key, i, got[i], want[i], Math.abs(got[i] - want[i]), tol));
            }
        }
    }

    /** Cases and passes per float type, printed as {@code prefix[engine version type]: N cases, M passed}. */
    static final class Counts {
        private final Map<DataType, AtomicInteger[]> counts = new LinkedHashMap<>();

        /**
         * Counts one more case of a type.
         *
         * @return the pass counter to increment when it passes
         */
        synchronized AtomicInteger add(DataType type) {
            AtomicInteger[] c =
                    counts.computeIfAbsent(type, t -> new AtomicInteger[] {new AtomicInteger(), new AtomicInteger()});
            c[0].incrementAndGet();
            return c[1];
        }

        /**
         * Prints one line per type.
         *
         * @param prefix the line's name
         * @param sorts whether the cases sort (the Lovász losses): the line then names the kernel
         */
        synchronized void print(String prefix, boolean sorts) {
            Engine engine = Engine.getInstance();
            for (Map.Entry<DataType, AtomicInteger[]> e : counts.entrySet()) {
                System.out.printf(
                        "%s[%s %s %s]: %d cases, %d passed%s%n",
                        prefix,
                        engine.getEngineName().toLowerCase(),
                        engine.getVersion(),
                        e.getKey().toString().toLowerCase(),
                        e.getValue()[0].get(),
                        e.getValue()[1].get(),
                        sorts ? " (kernel " + Kernel.AUTO.choose(Device.cpu()).toString().toLowerCase() + ")" : "");
            }
        }
    }
}
