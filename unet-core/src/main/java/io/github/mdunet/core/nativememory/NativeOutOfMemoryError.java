package io.github.mdunet.core.nativememory;

import java.util.OptionalLong;

/**
 * A U-Net ran out of native memory (where ND4J keeps its arrays): JavaCPP's limit was hit, or the machine had no
 * more. The message says which limit and its value, the resident memory at the failure, the work and its batch,
 * what the configuration needs when an estimator is on the classpath, and the flags that fix it. The original
 * JavaCPP error is the cause. Thrown by the trainer, {@code UNet.predict} and whoever calls
 * {@link NativeMemoryErrors#throwIfOutOfNativeMemory}; the trainer's checkpoints are left as they were.
 */
public final class NativeOutOfMemoryError extends OutOfMemoryError {

    private static final long serialVersionUID = 1L;

    /** Which limit refused memory. */
    public enum Limit {
        /** JavaCPP's {@code maxPhysicalBytes} ({@value NativeMemoryLimits#MAX_PHYSICAL_BYTES_PROPERTY}). */
        MAX_PHYSICAL_BYTES,
        /** JavaCPP's {@code maxBytes} ({@value NativeMemoryLimits#MAX_BYTES_PROPERTY}). */
        MAX_BYTES,
        /** None of JavaCPP's: the machine (or container) had no more memory. */
        MACHINE
    }

    private final Limit limit;
    private final long limitBytes;
    private final long residentBytes;
    private final transient Workload workload;
    private final long estimatedBytes;

    NativeOutOfMemoryError(String message, Throwable cause, Limit limit, long limitBytes, long residentBytes,
                           Workload workload, OptionalLong estimatedBytes) {
        super(message);
        initCause(cause);
        this.limit = limit;
        this.limitBytes = limitBytes;
        this.residentBytes = residentBytes;
        this.workload = workload;
        this.estimatedBytes = estimatedBytes.orElse(-1);
    }

    /** The limit that refused memory. */
    public Limit limit() {
        return limit;
    }

    /** Its value in bytes; 0 for {@link Limit#MACHINE}. */
    public long limitBytes() {
        return limitBytes;
    }

    /** The process's resident memory at the failure, in bytes; -1 when unknown. */
    public long residentBytes() {
        return residentBytes;
    }

    /** What was running. */
    public Workload workload() {
        return workload;
    }

    /** An estimator's figure for the workload's memory on top of the idle process, when one was on the classpath. */
    public OptionalLong estimatedBytes() {
        return estimatedBytes < 0 ? OptionalLong.empty() : OptionalLong.of(estimatedBytes);
    }
}
