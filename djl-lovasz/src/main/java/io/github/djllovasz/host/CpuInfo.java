package io.github.djllovasz.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The CPU as Linux describes it in {@code /proc/cpuinfo}: vendor, model name and instruction-set
 * flags of the first processor. On a system without that file every field is empty, so nothing
 * is detected there.
 */
public final class CpuInfo {

    /** Where Linux describes the processors. */
    static final Path PROC_CPUINFO = Path.of("/proc/cpuinfo");

    private final String vendor;
    private final String model;
    private final Set<String> flags;

    private CpuInfo(String vendor, String model, Set<String> flags) {
        this.vendor = vendor;
        this.model = model;
        this.flags = Collections.unmodifiableSet(flags);
    }

    /**
     * Reads this machine's CPU.
     *
     * @return the CPU, with empty fields where {@code /proc/cpuinfo} cannot be read
     */
    public static CpuInfo current() {
        try {
            return parse(Files.readString(PROC_CPUINFO, StandardCharsets.UTF_8));
        } catch (IOException | SecurityException e) {
            return parse("");
        }
    }

    /**
     * Parses the text of {@code /proc/cpuinfo}; only the first processor's block is read.
     *
     * @param cpuinfo the file's text
     * @return the CPU
     */
    public static CpuInfo parse(String cpuinfo) {
        String vendor = "";
        String model = "";
        Set<String> flags = new LinkedHashSet<>();
        for (String line : cpuinfo.split("\n", -1)) {
            if (line.isBlank()) {
                if (!vendor.isEmpty() || !flags.isEmpty()) {
                    break;
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "vendor_id":
                    vendor = value;
                    break;
                case "model name":
                    model = value;
                    break;
                case "flags":
                    flags.addAll(Arrays.asList(value.toLowerCase(Locale.ROOT).split("\\s+")));
                    flags.remove("");
                    break;
                default:
                    break;
            }
        }
        return new CpuInfo(vendor, model, flags);
    }

    /** @return the vendor id, e.g. {@code AuthenticAMD} or {@code GenuineIntel}; empty if unknown */
    public String vendor() {
        return vendor;
    }

    /** @return the model name, e.g. {@code AMD EPYC}; empty if unknown */
    public String model() {
        return model;
    }

    /**
     * Tells whether the CPU reports an instruction-set flag.
     *
     * @param flag the flag as Linux spells it, e.g. {@code avx512f}
     * @return whether it is reported
     */
    public boolean hasFlag(String flag) {
        return flags.contains(flag.toLowerCase(Locale.ROOT));
    }

    /** @return whether the vendor is AMD */
    public boolean isAmd() {
        return vendor.equals("AuthenticAMD");
    }

    /** @return whether the CPU has AVX-512 (the foundation flag {@code avx512f}) */
    public boolean hasAvx512() {
        return hasFlag("avx512f");
    }

    /** @return e.g. {@code AMD EPYC (AuthenticAMD, AVX-512)} */
    @Override
    public String toString() {
        String name = model.isEmpty() ? "unknown CPU" : model;
        String id = vendor.isEmpty() ? "vendor unknown" : vendor;
        return name + " (" + id + (hasAvx512() ? ", AVX-512" : ", no AVX-512") + ")";
    }
}
