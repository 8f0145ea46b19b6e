package io.github.mdunet.core.nativememory;

import io.github.mdunet.core.memoryuse.ByteSize;
import io.github.mdunet.core.nativememory.NativeOutOfMemoryError.Limit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.bytedeco.javacpp.Pointer;

/**
 * Turns JavaCPP's terse out-of-memory errors ("Cannot allocate new LongPointer(1): totalBytes = 256,
 * physicalBytes = 8223M") into a {@link NativeOutOfMemoryError} that says what happened and how to fix it. For
 * the places where a user's own {@code main} runs the library: the trainer and {@code UNet.predict}.
 *
 * <p>Use in a catch block, then rethrow what was caught:
 * <pre>{@code
 * } catch (OutOfMemoryError | RuntimeException e) {
 *     NativeMemoryErrors.throwIfOutOfNativeMemory(e, Workload.of(Phase.PREDICTION, config, images));
 *     throw e;
 * }
 * }</pre>
 * A Java heap {@code OutOfMemoryError} and every other error are left alone.
 */
public final class NativeMemoryErrors {

    private NativeMemoryErrors() {
    }

    /**
     * The limits and memory of this process at the failure.
     *
     * @param maxBytes            JavaCPP's {@code maxBytes} in force; 0 for none
     * @param maxPhysicalBytes    JavaCPP's {@code maxPhysicalBytes} in force; 0 for none
     * @param residentBytes       the process's resident memory now ({@code Pointer.physicalBytes()})
     * @param maxHeapBytes        {@code Runtime.maxMemory()}
     * @param physicalMemoryBytes the machine's (or container's) memory; 0 when unknown
     */
    record MemoryState(long maxBytes, long maxPhysicalBytes, long residentBytes, long maxHeapBytes,
                       long physicalMemoryBytes) {

        /** Reads JavaCPP's limits; only call after JavaCPP has loaded (it has, when it failed). */
        static MemoryState current() {
            return new MemoryState(Pointer.maxBytes(), Pointer.maxPhysicalBytes(), Pointer.physicalBytes(),
                    Runtime.getRuntime().maxMemory(), NativeMemoryLimits.physicalMemory());
        }
    }

    /**
     * Throws a {@link NativeOutOfMemoryError} explaining {@code error} when it, or one of its causes, is JavaCPP's
     * out-of-memory error; returns otherwise, also for an error that is already a {@link NativeOutOfMemoryError}.
     */
    public static void throwIfOutOfNativeMemory(Throwable error, Workload workload) {
        if (error instanceof NativeOutOfMemoryError) {
            return;
        }
        Optional<JavaCppMemoryFailure> failure = JavaCppMemoryFailure.of(error);
        if (failure.isPresent()) {
            throw explain(error, failure.get(), workload, MemoryState.current(), estimate(workload, estimators()));
        }
    }

    /** The explanation, from what the failure, the process and an estimator tell. */
    static NativeOutOfMemoryError explain(Throwable error, JavaCppMemoryFailure failure, Workload workload,
                                          MemoryState state, Optional<Estimate> estimate) {
        // JavaCPP prints whole units, rounded down ("256M" for 256.9 MiB); what is resident now is at least as precise.
        long resident = Math.max(failure.residentBytes(), state.residentBytes());
        long suggested = NativeMemoryLimits.applicationMaxPhysicalBytes(state.maxHeapBytes(),
                state.physicalMemoryBytes());
        Limit limit = failure.limit();
        long limitBytes = switch (limit) {
            case MAX_PHYSICAL_BYTES -> state.maxPhysicalBytes();
            case MAX_BYTES -> state.maxBytes();
            case MACHINE -> 0;
        };
        String what = switch (limit) {
            case MAX_PHYSICAL_BYTES -> "the process's resident memory (JVM heap included) reached "
                    + ByteSize.format(resident) + ", over JavaCPP's limit maxPhysicalBytes = "
                    + ByteSize.format(limitBytes) + " (" + physicalLimitOrigin(state) + ").";
            case MAX_BYTES -> "the memory that JavaCPP allocated itself would pass its limit maxBytes = "
                    + ByteSize.format(limitBytes) + " (" + (limitBytes == state.maxHeapBytes()
                            ? "JavaCPP's default: the maximum heap, -Xmx"
                            : "set with -D" + NativeMemoryLimits.MAX_BYTES_PROPERTY)
                    + "); the process's resident memory was " + ByteSize.format(resident) + ".";
            case MACHINE -> "the native allocator found no memory at a resident memory of "
                    + ByteSize.format(resident) + " (JavaCPP's limits were not hit: maxPhysicalBytes "
                    + ByteSize.format(state.maxPhysicalBytes()) + ", maxBytes " + ByteSize.format(state.maxBytes())
                    + "); the machine" + (state.physicalMemoryBytes() > 0
                            ? " (" + ByteSize.format(state.physicalMemoryBytes()) + ")" : "")
                    + " or its container is out of memory.";
        };
        String message = "Out of native memory in " + workload.describe() + ": " + what + " "
                + need(workload, estimate, state, suggested) + " " + fix(limit, state, suggested, limitBytes);
        return new NativeOutOfMemoryError(message, error, limit, limitBytes, resident, workload,
                estimate.map(e -> OptionalLong.of(e.bytes())).orElse(OptionalLong.empty()));
    }

    /** An estimator's figure and its name. */
    record Estimate(long bytes, String estimator) {
    }

    private static String physicalLimitOrigin(MemoryState state) {
        long javaCppDefault = NativeMemoryLimits.javaCppDefaultMaxPhysicalBytes(state.maxHeapBytes(),
                state.maxHeapBytes());
        return state.maxPhysicalBytes() == javaCppDefault
                ? "JavaCPP's default: 4 x the maximum heap, -Xmx " + ByteSize.format(state.maxHeapBytes())
                : "set with -D" + NativeMemoryLimits.MAX_PHYSICAL_BYTES_PROPERTY;
    }

    private static String need(Workload workload, Optional<Estimate> estimate, MemoryState state, long suggested) {
        String kind = workload.phase().trains() ? "training" : "inference";
        if (estimate.isEmpty()) {
            return "To see what this configuration needs, put unet-tuning on the classpath (this message then "
                    + "includes its estimate) or call its MemoryEstimator: new MemoryEstimator().estimate(config, "
                    + "batchSize).total() for training, .inference() for prediction.";
        }
        long needed = estimate.get().bytes();
        String text = "This configuration needs about " + ByteSize.format(needed) + " for " + kind
                + (workload.batchSize() > 0 ? " at batch " + workload.batchSize() : "")
                + " on top of the idle process (" + estimate.get().estimator() + ").";
        if (suggested > 0 && state.maxHeapBytes() + needed > suggested) {
            text += " With a heap of up to " + ByteSize.format(state.maxHeapBytes()) + " that is more than "
                    + ByteSize.format(suggested) + ", " + NativeMemoryLimits.MACHINE_SHARE_PERCENT + "% of this "
                    + "machine's memory: lower the batch size or the input size.";
        }
        return text;
    }

    private static String fix(Limit limit, MemoryState state, long suggested, long limitBytes) {
        String flags = NativeMemoryLimits.flag(NativeMemoryLimits.MAX_PHYSICAL_BYTES_PROPERTY, suggested) + " "
                + NativeMemoryLimits.flag(NativeMemoryLimits.MAX_BYTES_PROPERTY, 0);
        String where = state.physicalMemoryBytes() <= 0 ? ""
                : " (" + ByteSize.flagValue(suggested) + ": " + NativeMemoryLimits.MACHINE_SHARE_PERCENT + "% of this "
                        + "machine's " + ByteSize.format(state.physicalMemoryBytes())
                        + (suggested > NativeMemoryLimits.machineShare(state.physicalMemoryBytes())
                                ? ", or JavaCPP's 4 x -Xmx, which is higher)" : ")");
        boolean limitAlreadyAtMachine = limit == Limit.MAX_PHYSICAL_BYTES && suggested > 0 && limitBytes >= suggested;
        if (limit == Limit.MACHINE || limitAlreadyAtMachine) {
            return "Fix: lower the batch size or the input size, or run on a machine with more memory"
                    + (limitAlreadyAtMachine ? "; the limit is already " + ByteSize.format(limitBytes) + "." : ".");
        }
        return "Fix: start the JVM with " + flags + where + ", or call NativeMemoryLimits.raiseForApplication() "
                + "first thing in main(), before anything loads ND4J or JavaCPP; this project's apps do that on "
                + "their own. Both limits are read once, when JavaCPP loads. Or lower the batch size.";
    }

    /** The first estimate any registered {@link MemoryRequirementEstimator} gives; empty when none does. */
    static Optional<Estimate> estimate(Workload workload, List<MemoryRequirementEstimator> estimators) {
        for (MemoryRequirementEstimator estimator : estimators) {
            try {
                OptionalLong bytes = estimator.estimateBytes(workload);
                if (bytes.isPresent()) {
                    return Optional.of(new Estimate(bytes.getAsLong(), estimator.name()));
                }
            } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
                // Memory ran out already: an estimator that fails too only costs the message its figure.
            }
        }
        return Optional.empty();
    }

    private static List<MemoryRequirementEstimator> estimators() {
        List<MemoryRequirementEstimator> found = new ArrayList<>();
        try {
            ServiceLoader.load(MemoryRequirementEstimator.class, NativeMemoryErrors.class.getClassLoader())
                    .forEach(found::add);
        } catch (ServiceConfigurationError | LinkageError e) {
            // A broken registration only costs the message its estimate.
        }
        return found;
    }
}
