package io.github.mdunet.runtime.cpu;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/** An nd4j-native build, in order of preference. */
public enum NativeBuild {
    /** oneDNN, compiled for Skylake-SP; libnd4j refuses to run without all of these flags. */
    ONEDNN_AVX512("-onednn-avx512", true, "avx", "avx2", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"),
    /** oneDNN, compiled for AVX2 (Haswell and later, Zen). */
    ONEDNN_AVX2("-onednn-avx2", true, "avx", "avx2"),
    /** oneDNN for any CPU of the platform; not in this project's pom, used when someone adds its jar. */
    ONEDNN("-onednn", true),
    /** The default build: OpenBLAS and libnd4j's own kernels, no oneDNN. */
    PLAIN("", false);

    private final String extension;
    private final boolean oneDnn;
    private final Set<String> requiredCpuFlags;

    NativeBuild(String extension, boolean oneDnn, String... requiredCpuFlags) {
        this.extension = extension;
        this.oneDnn = oneDnn;
        this.requiredCpuFlags = Set.of(requiredCpuFlags);
    }

    /** The value of {@link CpuAcceleration#EXTENSION_PROPERTY} that selects this build; empty for {@link #PLAIN}. */
    public String extension() {
        return extension;
    }

    /** Whether this build has oneDNN compiled in. */
    public boolean oneDnn() {
        return oneDnn;
    }

    /** The {@code /proc/cpuinfo} flags that the build needs. */
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
}
