package io.github.mdunet.core.nativememory;

import io.github.mdunet.core.memoryuse.ByteSize;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.bytedeco.javacpp.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises JavaCPP's native memory limits for an application, so that a training step is limited by the machine's
 * memory rather than by the JVM's heap size.
 *
 * <p>Why: ND4J allocates its arrays outside the Java heap, and JavaCPP refuses new native allocations once the
 * process's resident memory ({@code Pointer.physicalBytes()}, the heap included) passes
 * {@code maxPhysicalBytes}. JavaCPP derives that limit from the heap: by default {@code maxBytes = -Xmx} and
 * {@code maxPhysicalBytes = maxBytes + 3 x -Xmx}, i.e. 4 x {@code -Xmx} (8 GiB with {@code -Xmx2g}, however much
 * memory the machine has), read once when JavaCPP's {@code Pointer} class initialises.
 *
 * <p>{@link #raiseForApplication()} sets, for each limit the user did not set (in either spelling JavaCPP reads):
 * <ul>
 *   <li>{@value #MAX_PHYSICAL_BYTES_PROPERTY}: {@value #MACHINE_SHARE_PERCENT}% of the machine's physical memory
 *       (the container's limit where there is one), or JavaCPP's own default when that is higher: never a tighter
 *       limit than JavaCPP's. The 10% left over is for the operating system and other processes, so that running
 *       out ends in a Java error that {@link NativeMemoryErrors} explains, with the trainer's checkpoints intact,
 *       rather than in the kernel's OOM killer.</li>
 *   <li>{@value #MAX_BYTES_PROPERTY}: 0 (no limit). It caps only the bytes that JavaCPP itself allocated with a
 *       known size, which ND4J's data buffers are not (they stay at a few KiB while the resident memory reaches
 *       gigabytes), so it protects nothing the physical limit does not, and with {@code -Xmx} small it can fail a
 *       step while memory is free.</li>
 * </ul>
 * A value the user set with {@code -D} (in either spelling, even empty) is never changed.
 *
 * <p>Only applications call this, first thing in {@code main}, before anything loads JavaCPP (ND4J, OpenCV, or
 * {@code CpuAcceleration.configure()}, which initialises JavaCPP's {@code Loader} and with it {@code Pointer}). A
 * library must not change its user's process limits, so {@code UNet} and the trainer never call it.
 */
public final class NativeMemoryLimits {

    /** JavaCPP's limit on the bytes it allocated itself; 0 or less for none. Also read as {@code maxBytes}. */
    public static final String MAX_BYTES_PROPERTY = "org.bytedeco.javacpp.maxbytes";
    /** JavaCPP's limit on the process's resident memory; 0 or less for none. Also read as {@code maxPhysicalBytes}. */
    public static final String MAX_PHYSICAL_BYTES_PROPERTY = "org.bytedeco.javacpp.maxphysicalbytes";
    /** The share of the machine's physical memory given to {@value #MAX_PHYSICAL_BYTES_PROPERTY}, in percent. */
    public static final int MACHINE_SHARE_PERCENT = 90;

    /** JavaCPP reads this spelling after {@link #MAX_BYTES_PROPERTY}; when present it wins. */
    static final String MAX_BYTES_CAMEL_CASE = "org.bytedeco.javacpp.maxBytes";
    /** JavaCPP reads this spelling after {@link #MAX_PHYSICAL_BYTES_PROPERTY}; when present it wins. */
    static final String MAX_PHYSICAL_BYTES_CAMEL_CASE = "org.bytedeco.javacpp.maxPhysicalBytes";
    /** The thread that JavaCPP's {@code Pointer} starts when it initialises, i.e. after it has read its limits. */
    static final String JAVACPP_DEALLOCATOR_THREAD = "JavaCPP Deallocator";

    private static final Logger log = LoggerFactory.getLogger(NativeMemoryLimits.class);

    /** The first call's result; guarded by the class lock. */
    private static Applied applied;

    private NativeMemoryLimits() {
    }

    /**
     * The limits in force after {@link #raiseForApplication()}.
     *
     * @param maxBytes          JavaCPP's {@code maxBytes}; 0 for no limit
     * @param maxPhysicalBytes  JavaCPP's {@code maxPhysicalBytes}; 0 for no limit
     * @param explanation       what was set, kept or found, and why
     * @param javaCppWasLoaded  JavaCPP had read its limits already, so nothing was changed
     */
    public record Applied(long maxBytes, long maxPhysicalBytes, String explanation, boolean javaCppWasLoaded) {
    }

    /**
     * What the limits will be, from the JVM's heap, the machine's memory and the user's values.
     *
     * @param maxHeapBytes        {@code Runtime.maxMemory()}, from which JavaCPP derives its defaults
     * @param physicalMemoryBytes the machine's (or container's) physical memory; 0 when unknown
     * @param userMaxBytes        the user's {@value #MAX_BYTES_PROPERTY} as JavaCPP reads it; null when unset
     * @param userMaxPhysicalBytes the user's {@value #MAX_PHYSICAL_BYTES_PROPERTY} as JavaCPP reads it; null when unset
     */
    record Inputs(long maxHeapBytes, long physicalMemoryBytes, String userMaxBytes, String userMaxPhysicalBytes) {

        static Inputs fromSystem() {
            return new Inputs(Runtime.getRuntime().maxMemory(), physicalMemory(),
                    javaCppValue(System::getProperty, MAX_BYTES_PROPERTY, MAX_BYTES_CAMEL_CASE),
                    javaCppValue(System::getProperty, MAX_PHYSICAL_BYTES_PROPERTY, MAX_PHYSICAL_BYTES_CAMEL_CASE));
        }
    }

    /**
     * The decision: the property values to set (null to leave one alone) and the limits JavaCPP will then use.
     *
     * @param maxBytesToSet         the value for {@value #MAX_BYTES_PROPERTY}, or null
     * @param maxPhysicalBytesToSet the value for {@value #MAX_PHYSICAL_BYTES_PROPERTY}, or null
     * @param maxBytes              JavaCPP's {@code maxBytes} afterwards (0: none; -1: unreadable user value)
     * @param maxPhysicalBytes      JavaCPP's {@code maxPhysicalBytes} afterwards (0: none; -1: unreadable)
     * @param explanation           one sentence for the log
     * @param warnings              problems worth a WARN line
     */
    record Decision(String maxBytesToSet, String maxPhysicalBytesToSet, long maxBytes, long maxPhysicalBytes,
                    String explanation, List<String> warnings) {

        Decision {
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Sets JavaCPP's limits for an application, once per JVM (later calls return the first result), and logs one
     * line saying what and why. Call it first thing in {@code main}. When JavaCPP has read its limits already, it
     * changes nothing and says so in a warning.
     */
    public static synchronized Applied raiseForApplication() {
        if (applied == null) {
            applied = javaCppHasReadItsLimits() ? reportTooLate() : apply(decide(Inputs.fromSystem()));
        }
        return applied;
    }

    /**
     * The {@value #MAX_PHYSICAL_BYTES_PROPERTY} that {@link #raiseForApplication()} gives this JVM when the user set
     * none: {@value #MACHINE_SHARE_PERCENT}% of physical memory, or JavaCPP's default 4 x {@code -Xmx} when higher.
     */
    public static long applicationMaxPhysicalBytes() {
        return applicationMaxPhysicalBytes(Runtime.getRuntime().maxMemory(), physicalMemory());
    }

    static long applicationMaxPhysicalBytes(long maxHeapBytes, long physicalMemoryBytes) {
        return Math.max(javaCppDefaultMaxPhysicalBytes(maxHeapBytes, maxHeapBytes), machineShare(physicalMemoryBytes));
    }

    /** The pure decision behind {@link #raiseForApplication()}. */
    static Decision decide(Inputs in) {
        List<String> warnings = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        long heap = in.maxHeapBytes();

        String maxBytesToSet = null;
        long maxBytes;
        if (in.userMaxBytes() != null) {
            maxBytes = readUserValue(in.userMaxBytes(), MAX_BYTES_PROPERTY, heap, heap, warnings);
            parts.add("maxBytes " + formatLimit(maxBytes) + " (set by the user, kept)");
        } else {
            maxBytes = 0;
            maxBytesToSet = "0";
            parts.add("maxBytes unlimited (it counts only JavaCPP's own allocations, not ND4J's arrays; JavaCPP's "
                    + "default would be -Xmx, " + ByteSize.format(heap) + ")");
        }

        String maxPhysicalBytesToSet = null;
        long maxPhysicalBytes;
        // JavaCPP's default for maxPhysicalBytes follows maxBytes as the user left it, not as set here.
        long userOrDefaultMaxBytes = in.userMaxBytes() != null ? maxBytes : heap;
        long javaCppDefault = javaCppDefaultMaxPhysicalBytes(userOrDefaultMaxBytes, heap);
        long machineShare = machineShare(in.physicalMemoryBytes());
        if (in.userMaxPhysicalBytes() != null) {
            long fallback = javaCppDefaultMaxPhysicalBytes(maxBytes, heap);
            maxPhysicalBytes = readUserValue(in.userMaxPhysicalBytes(), MAX_PHYSICAL_BYTES_PROPERTY, fallback, heap,
                    warnings);
            parts.add(0, "maxPhysicalBytes " + formatLimit(maxPhysicalBytes) + " (set by the user, kept)");
        } else if (javaCppDefault <= 0 || maxBytes < 0) {
            maxPhysicalBytes = javaCppDefault;
            parts.add(0, "maxPhysicalBytes " + formatLimit(javaCppDefault) + " (JavaCPP's default from the user's "
                    + MAX_BYTES_PROPERTY + ", kept)");
        } else if (machineShare > javaCppDefault) {
            maxPhysicalBytes = machineShare;
            maxPhysicalBytesToSet = Long.toString(machineShare);
            parts.add(0, "maxPhysicalBytes " + ByteSize.format(machineShare) + " (" + MACHINE_SHARE_PERCENT
                    + "% of " + ByteSize.format(in.physicalMemoryBytes()) + " physical memory; JavaCPP's default from "
                    + "-Xmx " + ByteSize.format(heap) + " would be " + ByteSize.format(javaCppDefault) + ")");
        } else {
            // Written out because maxBytes=0 would otherwise turn JavaCPP's default into "no limit".
            maxPhysicalBytes = javaCppDefault;
            maxPhysicalBytesToSet = Long.toString(javaCppDefault);
            parts.add(0, "maxPhysicalBytes " + ByteSize.format(javaCppDefault) + " (JavaCPP's default from -Xmx "
                    + ByteSize.format(heap) + ", already above " + MACHINE_SHARE_PERCENT + "% of "
                    + (in.physicalMemoryBytes() > 0 ? ByteSize.format(in.physicalMemoryBytes()) : "unknown")
                    + " physical memory)");
        }
        return new Decision(maxBytesToSet, maxPhysicalBytesToSet, maxBytes, maxPhysicalBytes,
                String.join(", ", parts), warnings);
    }

    /** JavaCPP's rule: {@code maxBytes + 3 x maxMemory}, or no limit (0) when {@code maxBytes} is none. */
    static long javaCppDefaultMaxPhysicalBytes(long maxBytes, long maxHeapBytes) {
        return maxBytes > 0 ? maxBytes + 3 * maxHeapBytes : 0;
    }

    static long machineShare(long physicalMemoryBytes) {
        return physicalMemoryBytes <= 0 ? 0 : physicalMemoryBytes / 100 * MACHINE_SHARE_PERCENT;
    }

    /**
     * A property as JavaCPP 1.5.7's {@code Pointer} reads it: the camel-case spelling when present, else the
     * lower-case one; null when neither is present.
     */
    static String javaCppValue(UnaryOperator<String> properties, String lowerCase, String camelCase) {
        String camel = properties.apply(camelCase);
        return camel != null ? camel : properties.apply(lowerCase);
    }

    /** An empty value means JavaCPP's default to JavaCPP; an unreadable one makes JavaCPP fail to start. */
    private static long readUserValue(String value, String property, long javaCppDefault, long heap,
                                      List<String> warnings) {
        if (value.isEmpty()) {
            return javaCppDefault;
        }
        try {
            return ByteSize.parseJavaCpp(value, heap);
        } catch (NumberFormatException e) {
            warnings.add(property + "='" + value + "' is not a size JavaCPP can read (e.g. 20g, 900m, 0 for none); "
                    + "JavaCPP will fail when it loads");
            return -1;
        }
    }

    private static String formatLimit(long bytes) {
        return bytes < 0 ? "unreadable" : ByteSize.format(bytes);
    }

    private static Applied apply(Decision decision) {
        if (decision.maxBytesToSet() != null) {
            System.setProperty(MAX_BYTES_PROPERTY, decision.maxBytesToSet());
        }
        if (decision.maxPhysicalBytesToSet() != null) {
            System.setProperty(MAX_PHYSICAL_BYTES_PROPERTY, decision.maxPhysicalBytesToSet());
        }
        decision.warnings().forEach(log::warn);
        String explanation = "Native memory limits for this application: " + decision.explanation()
                + ". Choose others with -D" + MAX_PHYSICAL_BYTES_PROPERTY + "=... -D" + MAX_BYTES_PROPERTY + "=...";
        log.info(explanation);
        return new Applied(decision.maxBytes(), decision.maxPhysicalBytes(), explanation, false);
    }

    /** JavaCPP has read its limits already: changing the properties now would only mislead whoever reads them. */
    private static Applied reportTooLate() {
        long maxBytes = Pointer.maxBytes();
        long maxPhysicalBytes = Pointer.maxPhysicalBytes();
        String explanation = "NativeMemoryLimits.raiseForApplication() ran after JavaCPP had read its limits "
                + "(maxPhysicalBytes " + ByteSize.format(maxPhysicalBytes) + ", maxBytes " + ByteSize.format(maxBytes)
                + "), nothing changed: call it first thing in main(), before anything loads ND4J, OpenCV or "
                + "CpuAcceleration.configure(), or pass -D" + MAX_PHYSICAL_BYTES_PROPERTY + "=... -D"
                + MAX_BYTES_PROPERTY + "=...";
        log.warn(explanation);
        return new Applied(maxBytes, maxPhysicalBytes, explanation, true);
    }

    /** Whether JavaCPP's {@code Pointer} has initialised, told without initialising it. */
    static boolean javaCppHasReadItsLimits() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> JAVACPP_DEALLOCATOR_THREAD.equals(thread.getName()));
    }

    /** The machine's physical memory, or the container's limit (JDK 14+); 0 when the JVM does not tell. */
    public static long physicalMemory() {
        return Optional.of(ManagementFactory.getOperatingSystemMXBean())
                .filter(com.sun.management.OperatingSystemMXBean.class::isInstance)
                .map(bean -> ((com.sun.management.OperatingSystemMXBean) bean).getTotalMemorySize())
                .filter(bytes -> bytes > 0)
                .orElse(0L);
    }

    /** For messages: the flag that sets {@code property} to {@code bytes}. */
    static String flag(String property, long bytes) {
        return String.format(Locale.ROOT, "-D%s=%s", property, ByteSize.flagValue(bytes));
    }
}
