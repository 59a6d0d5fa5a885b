package io.github.djllovasz.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the guard caps oneDNN, the lines it prints, and the child JVM it starts. */
class OneDnnGuardTest {

    /** The first lines of /proc/cpuinfo on the host where the fault was seen (2 processors). */
    static final String AMD_EPYC_AVX512 = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\n"
            + "model name\t: AMD EPYC\nflags\t\t: fpu sse2 avx avx2 avx512f avx512dq avx512bw avx512vl"
            + " avx512_vnni avx512_bf16 avx512_vp2intersect\n\nprocessor\t: 1\nvendor_id\t: GenuineIntel\n"
            + "flags\t\t: fpu\n";
    static final String AMD_ZEN3 = "vendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7763 64-Core Processor\n"
            + "flags\t\t: fpu sse2 avx avx2 fma\n";
    static final String INTEL_AVX512 = "vendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Platinum 8375C\n"
            + "flags\t\t: fpu avx2 avx512f avx512bw\n";

    @Test
    void testJvmsRunCappedOnAffectedHosts() {
        OneDnnGuard.Decision here = OneDnnGuard.decide();
        System.out.println(here.line());
        assertTrue(here.line().startsWith("oneDNN guard: " + CpuInfo.current() + ", mode "), here.line());
        // the parent POM starts every test JVM with ONEDNN_MAX_CPU_ISA (AVX2 unless -Dlovasz.onednn.isa)
        assertTrue(here.action() != OneDnnGuard.Action.CAP, here.line());
    }

    @Test
    void readsTheFirstProcessorOnly() {
        CpuInfo cpu = CpuInfo.parse(AMD_EPYC_AVX512);
        assertEquals("AuthenticAMD", cpu.vendor());
        assertEquals("AMD EPYC", cpu.model());
        assertTrue(cpu.isAmd() && cpu.hasAvx512() && cpu.hasFlag("AVX512_VP2INTERSECT"));
        assertFalse(cpu.hasFlag("avx512"), "flags match whole words");
        assertEquals("AMD EPYC (AuthenticAMD, AVX-512)", cpu.toString());
        CpuInfo unknown = CpuInfo.parse("");
        assertEquals("unknown CPU (vendor unknown, no AVX-512)", unknown.toString());
        assertFalse(unknown.isAmd() || unknown.hasAvx512());
    }

    @Test
    void autoCapsAmdWithAvx512Only() {
        assertEquals(OneDnnGuard.Action.CAP, OneDnnGuard.decide(CpuInfo.parse(AMD_EPYC_AVX512), null, "auto").action());
        assertEquals(OneDnnGuard.Action.CAP, OneDnnGuard.decide(CpuInfo.parse(AMD_EPYC_AVX512), " ", "auto").action());
        assertEquals(OneDnnGuard.Action.NOT_NEEDED, OneDnnGuard.decide(CpuInfo.parse(AMD_ZEN3), null, "auto").action());
        assertEquals(OneDnnGuard.Action.NOT_NEEDED, OneDnnGuard.decide(CpuInfo.parse(INTEL_AVX512), null, "auto").action());
        assertEquals(OneDnnGuard.Action.NOT_NEEDED, OneDnnGuard.decide(CpuInfo.parse(""), null, "AUTO").action());
    }

    @Test
    void aSetVariableIsKeptAndTheModeOverridesDetection() {
        OneDnnGuard.Decision set = OneDnnGuard.decide(CpuInfo.parse(AMD_EPYC_AVX512), "AVX2", "auto");
        assertEquals(OneDnnGuard.Action.ALREADY_SET, set.action());
        assertEquals("oneDNN guard: AMD EPYC (AuthenticAMD, AVX-512), mode auto: ONEDNN_MAX_CPU_ISA=AVX2 is set",
                set.line());
        assertEquals(OneDnnGuard.Action.CAP, OneDnnGuard.decide(CpuInfo.parse(AMD_ZEN3), null, "on").action());
        assertEquals(OneDnnGuard.Action.NOT_NEEDED, OneDnnGuard.decide(CpuInfo.parse(AMD_EPYC_AVX512), null, "off").action());
        assertTrue(OneDnnGuard.decide(CpuInfo.parse(AMD_ZEN3), "ALL", "auto").line()
                .endsWith("no cap needed (ONEDNN_MAX_CPU_ISA=ALL is set)"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OneDnnGuard.decide(CpuInfo.parse(AMD_EPYC_AVX512), null, "always"));
        assertEquals("lovasz.onednn.guard must be auto, on or off, got 'always'", e.getMessage());
    }

    @Test
    void adviceNamesTheHostAndTheRemedy() {
        String needed = OneDnnGuard.advice(OneDnnGuard.decide(CpuInfo.parse(AMD_EPYC_AVX512), null, "auto"));
        assertTrue(needed.startsWith("Likely cause: this host, AMD EPYC (AuthenticAMD, AVX-512), is one where oneDNN's AVX-512")
                && needed.contains("the losses are not involved. Remedy: rerun with ONEDNN_MAX_CPU_ISA=AVX2"), needed);
        String capped = OneDnnGuard.advice(OneDnnGuard.decide(CpuInfo.parse(AMD_EPYC_AVX512), "AVX2", "auto"));
        assertTrue(capped.startsWith("oneDNN runs capped at AVX2") && capped.contains("lower the learning rate"), capped);
        OneDnnGuard.Decision uncapped = OneDnnGuard.decide(CpuInfo.parse(AMD_EPYC_AVX512), "ALL", "auto");
        assertTrue(uncapped.line().endsWith("ONEDNN_MAX_CPU_ISA=ALL is set (the tested cap is AVX2)"), uncapped.line());
        String other = OneDnnGuard.advice(uncapped);
        assertTrue(other.contains("ONEDNN_MAX_CPU_ISA=ALL is set") && other.contains("rerun with ONEDNN_MAX_CPU_ISA=AVX2"), other);
        String elsewhere = OneDnnGuard.advice(OneDnnGuard.decide(CpuInfo.parse(AMD_ZEN3), null, "auto"));
        assertTrue(elsewhere.contains("is not one where the known oneDNN fault was seen (AMD CPUs with AVX-512)"), elsewhere);
        String intel = OneDnnGuard.advice(OneDnnGuard.decide(CpuInfo.parse(INTEL_AVX512), null, "auto"));
        assertTrue(intel.contains("rerun with ONEDNN_MAX_CPU_ISA=AVX2 to rule it out"), intel);
        String off = OneDnnGuard.advice(OneDnnGuard.decide(CpuInfo.parse(AMD_EPYC_AVX512), null, "off"));
        assertTrue(off.contains("The guard is off (lovasz.onednn.guard=off). Remedy: rerun with ONEDNN_MAX_CPU_ISA=AVX2"), off);
    }

    @Test
    void theChildGetsTheClassPathThePassedPropertiesAndTheArguments(@TempDir Path dir) throws IOException {
        System.setProperty("lovasz.test.passed", "yes");
        System.setProperty("other.test.kept", "no");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            assertTrue(OneDnnGuard.classPath(loader).startsWith(dir.toString()));
            List<String> command = OneDnnGuard.childCommand(ChildMain.class, new String[] {"a b", "--x"});
            assertTrue(command.get(0).endsWith("java"), command.get(0));
            assertEquals("-cp", command.get(1));
            assertTrue(command.contains("-Dlovasz.test.passed=yes"), command.toString());
            assertFalse(command.stream().anyMatch(s -> s.startsWith("-Dother.test.kept")), command.toString());
            assertTrue(command.contains("-Dlovasz.onednn.relaunched=true"));
            assertEquals(List.of(ChildMain.class.getName(), "a b", "--x"),
                    command.subList(command.size() - 3, command.size()));
        } finally {
            System.clearProperty("lovasz.test.passed");
            System.clearProperty("other.test.kept");
        }
    }

    @Test
    void theChildRunsWithTheCapAndItsFailureIsAnError(@TempDir Path dir) throws IOException {
        OneDnnGuard.Decision cap = OneDnnGuard.decide(CpuInfo.parse(AMD_EPYC_AVX512), null, "auto");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream quiet = new PrintStream(log, true, StandardCharsets.UTF_8);
        Path out = dir.resolve("child.txt");
        assertTrue(OneDnnGuard.relaunched(ChildMain.class, new String[] {out.toString()}, cap, quiet));
        // (the test JVM has the variable already; run with -Dlovasz.onednn.isa=ALL to see the child set it)
        assertEquals("ONEDNN_MAX_CPU_ISA=AVX2 relaunched=true", Files.readString(out, StandardCharsets.UTF_8));
        assertTrue(log.toString(StandardCharsets.UTF_8).startsWith(cap.line() + ": running "
                + ChildMain.class.getName() + " in a child JVM with ONEDNN_MAX_CPU_ISA=AVX2"), log.toString(StandardCharsets.UTF_8));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> OneDnnGuard.relaunched(ChildMain.class, new String[] {"fail"}, cap, quiet));
        assertTrue(e.getMessage().contains("exited with status 3"), e.getMessage());

        OneDnnGuard.Decision none = OneDnnGuard.decide(CpuInfo.parse(AMD_ZEN3), null, "auto");
        assertFalse(OneDnnGuard.relaunched(ChildMain.class, new String[] {"fail"}, none, quiet), "no child where none is needed");
    }

    /** The child's main: writes what it sees, or exits with 3. */
    public static final class ChildMain {
        public static void main(String[] args) throws IOException {
            if (args[0].equals("fail")) {
                System.exit(3);
            }
            Files.writeString(Path.of(args[0]), OneDnnGuard.ISA_VARIABLE + "=" + System.getenv(OneDnnGuard.ISA_VARIABLE)
                    + " relaunched=" + System.getProperty("lovasz.onednn.relaunched"), StandardCharsets.UTF_8);
        }
    }
}
