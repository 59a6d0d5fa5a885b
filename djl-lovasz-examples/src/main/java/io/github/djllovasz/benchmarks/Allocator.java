package io.github.djllovasz.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The native allocator settings a forked benchmark JVM runs with. glibc reads
 * {@code GLIBC_TUNABLES} once, when a process starts, so the tuned setting is applied by starting
 * the fork through a small shell script that exports it and then executes {@code java}.
 */
public enum Allocator {
    /** The environment this JVM was started with, unchanged. */
    DEFAULT,
    /**
     * {@code GLIBC_TUNABLES} (by default {@code mmap_max=0}: large buffers come from the heap, not
     * fresh {@code mmap}s that page-fault on every call; {@code trim_threshold} 16 GiB: freed
     * memory is not given back to the kernel).
     */
    TUNED;

    /** Environment variables that change glibc's or another allocator's behaviour. */
    private static final List<String> ALLOCATOR_ENV =
            List.of("GLIBC_TUNABLES", "MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_",
                    "LD_PRELOAD");

    /** @return {@code default} or {@code tuned} */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code default}, {@code tuned} or {@code both}.
     *
     * @param text the flag value
     * @return the allocators, default first
     */
    public static List<Allocator> parseList(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "default" -> List.of(DEFAULT);
            case "tuned" -> List.of(TUNED);
            case "both" -> List.of(DEFAULT, TUNED);
            default -> throw new IllegalArgumentException(
                    "--allocator takes default, tuned or both, got " + text);
        };
    }

    /**
     * The java launcher for a forked JVM with these settings.
     *
     * @param dir where to write the wrapper script (TUNED only)
     * @param tunables the value of {@code GLIBC_TUNABLES} for TUNED
     * @return the path of {@code java}, or of a script that sets the environment and runs it
     * @throws IOException if the script cannot be written
     */
    public String launcher(Path dir, String tunables) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        if (this == DEFAULT) {
            return java;
        }
        Files.createDirectories(dir);
        Path script = dir.resolve("java-glibc-tuned.sh").toAbsolutePath();
        String text =
                "#!/bin/sh\n"
                        + "# Written by io.github.djllovasz.benchmarks.BenchmarkMain: runs java with tuned glibc malloc.\n"
                        + "GLIBC_TUNABLES='" + tunables.replace("'", "") + "'\n"
                        + "export GLIBC_TUNABLES\n"
                        + "exec '" + java.replace("'", "") + "' \"$@\"\n";
        Files.writeString(script, text, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            script.toFile().setExecutable(true);
        }
        return script.toString();
    }

    /**
     * Describes the allocator environment a fork gets.
     *
     * @param tunables the value of {@code GLIBC_TUNABLES} for TUNED
     * @return e.g. {@code GLIBC_TUNABLES=... (others unset)}
     */
    public String describe(String tunables) {
        List<String> parts = new ArrayList<>();
        for (String name : ALLOCATOR_ENV) {
            String value = this == TUNED && name.equals("GLIBC_TUNABLES") ? tunables : System.getenv(name);
            if (value != null) {
                parts.add(name + "=" + value);
            }
        }
        return parts.isEmpty() ? "glibc malloc, built-in defaults (no allocator variables set)"
                : "glibc malloc, " + String.join(" ", parts);
    }
}
