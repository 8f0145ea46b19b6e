package io.github.mdunet.runtime.cpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * The CPU's feature flags, as the kernel lists them in {@code /proc/cpuinfo}.
 *
 * @param flags lower-case flag names such as {@code avx2} or {@code avx512f}; empty when unknown
 */
public record CpuFeatures(Set<String> flags) {

    /** No flags known (not Linux, or {@code /proc/cpuinfo} unreadable): only flag-free builds qualify. */
    public static final CpuFeatures UNKNOWN = new CpuFeatures(Set.of());

    public CpuFeatures {
        flags = Set.copyOf(flags);
    }

    /**
     * Parses the text of {@code /proc/cpuinfo}: the flags common to every {@code flags} line, so that one odd
     * core never gets code it cannot run.
     */
    public static CpuFeatures parse(String cpuInfo) {
        Set<String> common = null;
        for (String line : cpuInfo.split("\\R")) {
            int colon = line.indexOf(':');
            if (colon < 0 || !line.substring(0, colon).trim().equals("flags")) {
                continue;
            }
            Set<String> flags = Arrays.stream(line.substring(colon + 1).trim().split("\\s+"))
                    .filter(f -> !f.isEmpty())
                    .map(f -> f.toLowerCase(Locale.ROOT))
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            if (common == null) {
                common = flags;
            } else {
                common.retainAll(flags);
            }
        }
        return common == null ? UNKNOWN : new CpuFeatures(common);
    }

    /**
     * Whether the flags are known. Unknown ones (no {@code /proc/cpuinfo}: Windows, macOS) qualify only the builds that
     * need no flag, so the plain build is chosen over oneDNN ones that the CPU may well run; {@link BuildChooser}
     * warns then.
     */
    public boolean known() {
        return !flags.isEmpty();
    }

    /** Whether this CPU runs the given build. */
    public boolean supports(NativeBuild build) {
        return flags.containsAll(build.requiredCpuFlags());
    }

    /** A short name of the best vector extension: {@code AVX-512}, {@code AVX2}, {@code no AVX2} or unknown. */
    public String simdLevel() {
        if (!known()) {
            return "unknown CPU flags";
        }
        if (supports(NativeBuild.ONEDNN_AVX512)) {
            return "AVX-512";
        }
        return supports(NativeBuild.ONEDNN_AVX2) ? "AVX2" : "no AVX2";
    }

    /** Where Linux lists the CPU's flags. */
    static final Path CPU_INFO = Path.of("/proc/cpuinfo");

    /** Reads and parses {@code cpuInfo}; {@link #UNKNOWN} when it cannot be read (not Linux, no permission). */
    static CpuFeatures read(Path cpuInfo) {
        try {
            return parse(Files.readString(cpuInfo, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            LoggerFactory.getLogger(CpuFeatures.class).debug("Cannot read {}: {}", cpuInfo, e.toString());
            return UNKNOWN;
        }
    }
}
