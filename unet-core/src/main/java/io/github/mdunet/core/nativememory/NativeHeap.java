package io.github.mdunet.core.nativememory;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.memoryuse.ByteSize;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the C library's {@code malloc} hand large freed native arrays back to the operating system, so that the
 * resident memory of a training step is what its live arrays take, not the allocator's high-water mark.
 *
 * <p>Why: the arrays ND4J and oneDNN allocate outside DL4J's workspaces (libnd4j's and oneDNN's temporaries, the
 * activation gradients of the first steps, before DL4J's gradient workspaces have learnt their sizes) come from
 * glibc's {@code malloc}. glibc serves a block below its mmap threshold from its heaps and keeps the memory there
 * when the block is freed, and by default it raises that threshold to the size of each large block freed, up to
 * 32 MiB; after one training step most temporaries live in heaps that fragment and never shrink. Measured on the
 * seed's U-Net (ResNet50 in DL4J's layout, 512 x 512, batch 4): 1.7 GiB resident after a step that its live arrays
 * do not account for. {@link Policy#LEAN} fixes the threshold at {@value #LEAN_MMAP_THRESHOLD_BYTES} bytes with
 * {@code mallopt(M_MMAP_THRESHOLD)}: blocks of 4 MiB and more get their own mapping, returned when freed; smaller
 * ones stay in the heaps, where reuse is cheap. A lower threshold saves little more memory and costs time (each
 * fresh mapping is zeroed by the kernel page by page); docs/BENCHMARKS.md has the figures.
 *
 * <p>{@code -D}{@value #PROPERTY}{@code =glibc} leaves glibc's defaults; {@code lean} (or no value) applies the
 * threshold. On a C library without glibc's {@code mallopt} (macOS, Windows, musl) nothing changes and
 * {@link Applied#explanation()} says so.
 *
 * <p>Like {@link NativeMemoryLimits}, only applications call {@link #configureForApplication()}, first thing in
 * {@code main}: it changes the allocator of the whole process, which a library must not do to its user.
 */
public final class NativeHeap {

    /** {@code lean} (the default) or {@code glibc}. */
    public static final String PROPERTY = "mdunet.nativeHeap";
    /** The mmap threshold {@link Policy#LEAN} sets: blocks of this size and more are unmapped when freed. */
    public static final int LEAN_MMAP_THRESHOLD_BYTES = 4 << 20;
    /** glibc's {@code M_MMAP_THRESHOLD} parameter of {@code mallopt}. */
    static final int M_MMAP_THRESHOLD = -3;

    private static final Logger log = LoggerFactory.getLogger(NativeHeap.class);

    /** The first call's result; guarded by the class lock. */
    private static Applied applied;

    private NativeHeap() {
    }

    /** How the process's {@code malloc} treats large freed blocks. */
    public enum Policy {
        /** A fixed mmap threshold of {@value #LEAN_MMAP_THRESHOLD_BYTES} bytes: large freed blocks go back at once. */
        LEAN,
        /** glibc's own settings: a threshold that grows to 32 MiB, freed blocks below it kept in the heaps. */
        GLIBC;

        /** The policy named by {@code value} ({@code null} or blank: {@link #LEAN}), in any case. */
        public static Policy parse(String value) {
            return Checks.propertyChoice(PROPERTY, value, LEAN, "leave it unset for 'lean' (large freed native arrays"
                    + " returned to the system) or set 'glibc' to keep the C library's own settings");
        }
    }

    /**
     * What {@link #configureForApplication()} did.
     *
     * @param policy      the policy asked for
     * @param changed     whether the allocator's settings were changed
     * @param explanation one line: what was set, or why nothing was
     */
    public record Applied(Policy policy, boolean changed, String explanation) {
    }

    /** glibc's {@code mallopt(param, value)}: 1 on success, 0 on error. */
    @FunctionalInterface
    interface Mallopt {
        int call(int parameter, int value);
    }

    /**
     * Applies the policy of {@value #PROPERTY} to this process's {@code malloc}, once per JVM; later calls return the
     * first result. Throws {@link IllegalArgumentException} for a value that is neither {@code lean} nor
     * {@code glibc}.
     */
    public static synchronized Applied configureForApplication() {
        if (applied == null) {
            applied = apply(Policy.parse(System.getProperty(PROPERTY)), glibcMallopt());
            log.info("Native heap: {}", applied.explanation());
        }
        return applied;
    }

    /** Applies {@code policy} through {@code mallopt}, which is empty where the C library has none. */
    static Applied apply(Policy policy, Optional<Mallopt> mallopt) {
        return switch (policy) {
            case GLIBC -> new Applied(policy, false, "glibc's malloc settings kept (-D" + PROPERTY + "=glibc)");
            case LEAN -> mallopt.map(NativeHeap::lean)
                    .orElseGet(() -> new Applied(policy, false, "no glibc mallopt in this C library; its malloc"
                            + " settings kept"));
        };
    }

    private static Applied lean(Mallopt mallopt) {
        boolean accepted = mallopt.call(M_MMAP_THRESHOLD, LEAN_MMAP_THRESHOLD_BYTES) == 1;
        return accepted
                ? new Applied(Policy.LEAN, true, "malloc's mmap threshold fixed at "
                        + ByteSize.format(LEAN_MMAP_THRESHOLD_BYTES) + ": freed native arrays from that size up go"
                        + " back to the system (-D" + PROPERTY + "=glibc keeps glibc's settings)")
                : new Applied(Policy.LEAN, false, "mallopt(M_MMAP_THRESHOLD, " + LEAN_MMAP_THRESHOLD_BYTES
                        + ") was refused; malloc settings kept");
    }

    /** glibc's {@code mallopt}, if this process's C library is glibc ({@code gnu_get_libc_version} exists). */
    private static Optional<Mallopt> glibcMallopt() {
        try {
            NativeLibrary c = NativeLibrary.getInstance("c");
            c.getFunction("gnu_get_libc_version");
            Function mallopt = c.getFunction("mallopt");
            return Optional.of((parameter, value) -> mallopt.invokeInt(new Object[] {parameter, value}));
        } catch (UnsatisfiedLinkError notGlibc) {
            return Optional.empty();
        }
    }
}
