package io.github.mdunet.runtime.cpu;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * An nd4j-native build, in order of preference: the oneDNN builds, then nd4j-native's own AVX-512 and AVX2 builds
 * (no oneDNN, not in this project's pom; used when someone adds their jar or sets their extension), then the plain
 * one.
 */
public enum NativeBuild {
    /** oneDNN, libnd4j compiled for AVX-512 (Skylake-SP); needs {@link CpuFlags#AVX512}. */
    ONEDNN_AVX512("-onednn-avx512", true, CpuFlags.AVX512),
    /** oneDNN, libnd4j compiled for AVX2 (Haswell and later, Zen); needs {@link CpuFlags#AVX2}. */
    ONEDNN_AVX2("-onednn-avx2", true, CpuFlags.AVX2),
    /** oneDNN for any CPU of the platform; not in this project's pom, used when someone adds its jar. */
    ONEDNN("-onednn", true, List.of()),
    /** libnd4j compiled for AVX-512 without oneDNN ({@code libnd4j.extension=avx512}); not in this project's pom. */
    AVX512("-avx512", false, CpuFlags.AVX512),
    /** libnd4j compiled for AVX2 without oneDNN ({@code libnd4j.extension=avx2}); not in this project's pom. */
    AVX2("-avx2", false, CpuFlags.AVX2),
    /** The default build: OpenBLAS and libnd4j's own kernels, no oneDNN. */
    PLAIN("", false, List.of());

    private final String extension;
    private final boolean oneDnn;
    private final Set<String> requiredCpuFlags;

    NativeBuild(String extension, boolean oneDnn, List<String> requiredCpuFlags) {
        this.extension = extension;
        this.oneDnn = oneDnn;
        this.requiredCpuFlags = Set.copyOf(requiredCpuFlags);
    }

    /** The value of {@link CpuAcceleration#EXTENSION_PROPERTY} that selects this build; empty for {@link #PLAIN}. */
    public String extension() {
        return extension;
    }

    /** Whether this build has oneDNN compiled in. */
    public boolean oneDnn() {
        return oneDnn;
    }

    /** The {@code /proc/cpuinfo} flags that the build needs ({@link CpuFlags}). */
    public Set<String> requiredCpuFlags() {
        return requiredCpuFlags;
    }

    /** The Maven classifier of this build's jar, e.g. {@code linux-x86_64-onednn-avx2}. */
    public String classifier(String platform) {
        return platform + extension;
    }

    /** The build that an {@link CpuAcceleration#EXTENSION_PROPERTY} value selects, if it is one of these. */
    public static Optional<NativeBuild> fromExtension(String extension) {
        return Arrays.stream(values()).filter(b -> b.extension.equals(extension)).findFirst();
    }

    /**
     * The CPU flags of libnd4j's two x86 compilations, which nd4j-native's pom selects by classifier
     * ({@code -avx2} and {@code -onednn-avx2} are {@code libnd4j.extension=avx2}, {@code -avx512} and
     * {@code -onednn-avx512} are {@code avx512}). Each list is what libnd4j checks when it loads, where a CPU without
     * them stops the JVM ({@code isMinimalRequirementsMet()}: avx and avx2; for AVX-512 also avx512f, cd, bw, dq and
     * vl), and what the M2.1 binaries' instructions use besides, which it does not check and which fail later: FMA
     * and F16C throughout both (the build's {@code -mfma -mf16c}), and in the AVX-512 one BMI1, BMI2 and LZCNT
     * ({@code abm} in {@code /proc/cpuinfo}). Read from the disassembled {@code -onednn-avx2} and
     * {@code -onednn-avx512} libraries of nd4j-native 1.0.0-M2.1.
     */
    static final class CpuFlags {
        /** What libnd4j's AVX2 compilation needs. */
        static final List<String> AVX2 = List.of("avx", "avx2", "fma", "f16c");
        /** What libnd4j's AVX-512 compilation needs. */
        static final List<String> AVX512 = Stream.concat(AVX2.stream(),
                Stream.of("bmi1", "bmi2", "abm", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl")).toList();

        private CpuFlags() {
        }
    }
}
