package io.github.djllovasz.host;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Keeps convolution training finite on hosts where oneDNN's AVX-512 kernels are not.
 *
 * <p><b>The fault.</b> On AMD EPYC CPUs with AVX-512 (seen on a 2-core Zen 5 VM, family 26),
 * PyTorch's CPU convolutions run oneDNN's {@code avx512_core} kernels, and their backward pass gives
 * non-finite gradients nondeterministically: the main job's network trained with a plain {@code
 * sum(out · g)} objective got them in 8 to 43 of 60 steps, with PyTorch 2.3.1 (oneDNN 3.3.6) and
 * 2.7.1. The losses of this library are not involved. One intra-op thread avoided it on PyTorch
 * 2.3.1 but not on 2.7.1; capping oneDNN at AVX2 avoided it on both (0 of 160 steps each), at a
 * cost of 1.2 to 1.6 times the step time of the main job on that host (docs/troubleshooting.md).
 *
 * <p><b>The remedy</b> is the environment variable {@code ONEDNN_MAX_CPU_ISA=AVX2}. oneDNN reads it
 * from the process environment when it first runs, so it must be set where the process starts: a
 * JVM cannot change its own environment. {@link #relaunched(Class, String[])} does that for a
 * {@code main} method: on an affected host where the variable is not set it runs the same main
 * class in a child JVM with the variable set (same class path, the {@code ai.djl.*} and {@code
 * lovasz.*} system properties, the same arguments, inherited standard streams) and waits for it.
 * This works under {@code mvn exec:java} too, where the JVM is Maven's.
 *
 * <p><b>Where it applies</b> ({@link #decide()}): the system property {@value #MODE_PROPERTY}
 * chooses: {@code auto} (default) caps where the fault was seen, on AMD CPUs with AVX-512 ({@link
 * CpuInfo} from {@code /proc/cpuinfo}); {@code on} caps on every host (Intel's AVX-512 CPUs run
 * the same kernels, but the fault was not seen there, and the cap costs speed:
 * docs/troubleshooting.md); {@code off} never. A variable the user has set is never changed.
 */
public final class OneDnnGuard {

    /** The environment variable oneDNN reads for its highest instruction set. */
    public static final String ISA_VARIABLE = "ONEDNN_MAX_CPU_ISA";

    /** The instruction set the guard caps oneDNN at. */
    public static final String SAFE_ISA = "AVX2";

    /** The system property choosing where the guard applies: {@code auto}, {@code on} or {@code off}. */
    public static final String MODE_PROPERTY = "lovasz.onednn.guard";

    /** Set in the child JVM, so that it never starts another. */
    static final String RELAUNCHED_PROPERTY = "lovasz.onednn.relaunched";

    /** System properties passed on to the child JVM, by prefix. */
    private static final List<String> PASSED_PROPERTIES = List.of("ai.djl.", "lovasz.", "java.awt.headless");

    private OneDnnGuard() {}

    /** What the guard does on a host. */
    public enum Action {
        /** The host is not one where the fault was seen (or the guard is off): nothing to do. */
        NOT_NEEDED,
        /** The variable is already set in this process's environment: nothing to do. */
        ALREADY_SET,
        /** The process must start with {@code ONEDNN_MAX_CPU_ISA=AVX2}. */
        CAP
    }

    /** The guard's decision for one host and environment, with a line saying why. */
    public static final class Decision {
        private final Action action;
        private final CpuInfo cpu;
        private final String isaVariable;
        private final String mode;

        Decision(Action action, CpuInfo cpu, String isaVariable, String mode) {
            this.action = action;
            this.cpu = cpu;
            this.isaVariable = isaVariable;
            this.mode = mode;
        }

        /** @return what to do */
        public Action action() {
            return action;
        }

        /** @return the CPU the decision was made for */
        public CpuInfo cpu() {
            return cpu;
        }

        /**
         * One line for a log, starting with {@code oneDNN guard:}.
         *
         * @return e.g. {@code oneDNN guard: AMD EPYC (AuthenticAMD, AVX-512): ONEDNN_MAX_CPU_ISA=AVX2 is set}
         */
        public String line() {
            String head = "oneDNN guard: " + cpu + ", mode " + mode + ": ";
            switch (action) {
                case ALREADY_SET:
                    return head + ISA_VARIABLE + "=" + isaVariable + " is set"
                            + (SAFE_ISA.equalsIgnoreCase(isaVariable) ? "" : " (the tested cap is " + SAFE_ISA + ")");
                case CAP:
                    return head + "convolutions need " + ISA_VARIABLE + "=" + SAFE_ISA
                            + ", which is not set";
                default:
                    return head + "no cap needed" + (isaVariable == null ? "" : " (" + ISA_VARIABLE
                            + "=" + isaVariable + " is set)");
            }
        }

        /** {@inheritDoc} */
        @Override
        public String toString() {
            return line();
        }
    }

    /**
     * Decides for this process: {@code /proc/cpuinfo}, this process's environment and the system
     * property {@value #MODE_PROPERTY}.
     *
     * @return the decision
     */
    public static Decision decide() {
        return decide(CpuInfo.current(), System.getenv(ISA_VARIABLE),
                System.getProperty(MODE_PROPERTY, "auto"));
    }

    /**
     * Decides for a given host.
     *
     * @param cpu the CPU
     * @param isaVariable the value of {@code ONEDNN_MAX_CPU_ISA} in the environment, or {@code null}
     * @param mode {@code auto}, {@code on} or {@code off}
     * @return the decision
     * @throws IllegalArgumentException for another mode
     */
    public static Decision decide(CpuInfo cpu, String isaVariable, String mode) {
        Objects.requireNonNull(cpu, "cpu");
        String m = Objects.requireNonNull(mode, "mode").trim().toLowerCase(Locale.ROOT);
        boolean affected;
        switch (m) {
            case "auto":
                affected = seenAffected(cpu);
                break;
            case "on":
                affected = true;
                break;
            case "off":
                affected = false;
                break;
            default:
                throw new IllegalArgumentException(
                        MODE_PROPERTY + " must be auto, on or off, got '" + mode + "'");
        }
        String isa = isaVariable == null || isaVariable.isBlank() ? null : isaVariable;
        Action action = !affected ? Action.NOT_NEEDED : isa != null ? Action.ALREADY_SET : Action.CAP;
        return new Decision(action, cpu, isa, m);
    }

    /**
     * What a diverged run on this host most likely means, and how to rerun: the text the examples
     * print when training stops on a non-finite loss or gradient.
     *
     * @return the advice, several sentences
     */
    public static String advice() {
        return advice(decide());
    }

    /** Where the fault was seen: an AMD CPU with AVX-512. */
    static boolean seenAffected(CpuInfo cpu) {
        return cpu.isAmd() && cpu.hasAvx512();
    }

    static String advice(Decision decision) {
        String fault = "Likely cause: this host, " + decision.cpu() + ", is one where oneDNN's"
                + " AVX-512 convolution kernels give non-finite gradients (docs/troubleshooting.md)"
                + "; the losses are not involved. ";
        String remedy = "Remedy: rerun with " + ISA_VARIABLE + "=" + SAFE_ISA + " in the environment";
        switch (decision.action()) {
            case CAP:
                return fault + remedy + " (the examples' main methods set it themselves unless "
                        + MODE_PROPERTY + "=off).";
            case ALREADY_SET:
                if (!SAFE_ISA.equalsIgnoreCase(decision.isaVariable)) {
                    return fault + ISA_VARIABLE + "=" + decision.isaVariable + " is set. " + remedy
                            + ", the cap that excluded the fault.";
                }
                return "oneDNN runs capped at " + SAFE_ISA + " on this host (" + decision.cpu()
                        + "), which excluded the known oneDNN fault in every test here. Otherwise:"
                        + " lower the learning rate, clip gradients, check the inputs.";
            default:
                if (seenAffected(decision.cpu())) {
                    return fault + "The guard is off (" + MODE_PROPERTY + "=" + decision.mode + "). "
                            + remedy + ".";
                }
                return "This host, " + decision.cpu() + ", is not one where the known oneDNN fault"
                        + " was seen (AMD CPUs with AVX-512). If the network has convolutions, rerun"
                        + " with " + ISA_VARIABLE + "=" + SAFE_ISA + " to rule it out (docs/troubleshooting.md)"
                        + "; otherwise lower the learning rate, clip gradients,"
                        + " check the inputs.";
        }
    }

    /**
     * Runs {@code mainClass} in a child JVM with {@code ONEDNN_MAX_CPU_ISA=AVX2} when this host
     * needs it and the variable is not set; call it first in {@code main}, before anything starts
     * a DJL engine: {@code if (OneDnnGuard.relaunched(Main.class, args)) return;}. Prints the
     * decision's {@link Decision#line() line} to standard error.
     *
     * @param mainClass the class whose {@code main} runs again in the child
     * @param args the arguments it gets
     * @return {@code true} if the child ran (and succeeded): the caller returns at once; {@code
     *     false} if this JVM goes on itself
     * @throws IllegalStateException if the child JVM exits with a non-zero status, cannot start, or
     *     is interrupted
     */
    public static boolean relaunched(Class<?> mainClass, String[] args) {
        return relaunched(mainClass, args, decide(), System.err);
    }

    static boolean relaunched(Class<?> mainClass, String[] args, Decision decision, PrintStream log) {
        if (decision.action() != Action.CAP || Boolean.getBoolean(RELAUNCHED_PROPERTY)) {
            log.println(decision.line());
            return false;
        }
        log.println(decision.line() + ": running " + mainClass.getName() + " in a child JVM with "
                + ISA_VARIABLE + "=" + SAFE_ISA);
        List<String> command = childCommand(mainClass, args);
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put(ISA_VARIABLE, SAFE_ISA);
        int status;
        try {
            status = builder.start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("could not start the child JVM " + command.get(0)
                    + "; set " + ISA_VARIABLE + "=" + SAFE_ISA + " yourself or " + MODE_PROPERTY
                    + "=off", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the child JVM ran", e);
        }
        if (status != 0) {
            throw new IllegalStateException(mainClass.getName() + " exited with status " + status
                    + " in the child JVM (" + ISA_VARIABLE + "=" + SAFE_ISA + ")");
        }
        return true;
    }

    /**
     * The child's command line: this JVM's {@code java}, the class path the main class was loaded
     * from, the passed system properties, the main class and its arguments.
     */
    static List<String> childCommand(Class<?> mainClass, String[] args) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(classPath(mainClass.getClassLoader()));
        for (Map.Entry<Object, Object> e : System.getProperties().entrySet()) {
            String key = String.valueOf(e.getKey());
            if (PASSED_PROPERTIES.stream().anyMatch(key::startsWith)) {
                command.add("-D" + key + "=" + e.getValue());
            }
        }
        command.add("-D" + RELAUNCHED_PROPERTY + "=true");
        command.add(mainClass.getName());
        command.addAll(Arrays.asList(args));
        return command;
    }

    /**
     * The class path of a loader: the URLs of every {@link URLClassLoader} up its chain (as under
     * {@code mvn exec:java}), then {@code java.class.path}.
     */
    static String classPath(ClassLoader loader) {
        Set<String> entries = new LinkedHashSet<>();
        for (ClassLoader l = loader; l != null; l = l.getParent()) {
            if (l instanceof URLClassLoader) {
                for (URL url : ((URLClassLoader) l).getURLs()) {
                    try {
                        entries.add(Path.of(url.toURI()).toString());
                    } catch (URISyntaxException | IllegalArgumentException e) {
                        // not a file: the child cannot use it
                    }
                }
            }
        }
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
