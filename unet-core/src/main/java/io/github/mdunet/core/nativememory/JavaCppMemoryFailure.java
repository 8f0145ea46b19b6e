package io.github.mdunet.core.nativememory;

import io.github.mdunet.core.memoryuse.ByteSize;
import io.github.mdunet.core.nativememory.NativeOutOfMemoryError.Limit;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JavaCPP's own {@link OutOfMemoryError}s, recognised by their messages (JavaCPP 1.5.7, {@code Pointer} and its
 * array subclasses). A Java heap {@code OutOfMemoryError} is none of these.
 *
 * @param limit         the limit that refused the allocation; {@link Limit#MACHINE} when the native allocator
 *                      itself failed
 * @param residentBytes the process's resident memory that JavaCPP reported at the failure; -1 when not given
 */
record JavaCppMemoryFailure(Limit limit, long residentBytes) {

    /** From {@code Pointer.deallocator}: "Physical memory usage is too high: physicalBytes (529M) > ...". */
    private static final Pattern PHYSICAL = Pattern.compile(
            "Physical memory usage is too high: physicalBytes \\((\\w+)\\) > maxPhysicalBytes");
    /** From {@code Pointer.deallocator}: "Failed to allocate memory within limits: totalBytes (1G + 8M) > ...". */
    private static final Pattern TRACKED = Pattern.compile(
            "Failed to allocate memory within limits: totalBytes \\(.*\\) > maxBytes");
    /** From {@code LongPointer(long)} and kin: "Cannot allocate new LongPointer(1): totalBytes = 256, ...". */
    private static final Pattern CANNOT_ALLOCATE = Pattern.compile(
            "Cannot allocate new \\w*Pointer\\(\\d+\\): totalBytes = \\w+, physicalBytes = (\\w+)");
    private static final int MAX_CAUSES = 32;

    /** JavaCPP's failure in {@code error} or its causes; empty when none of them is JavaCPP's. */
    static Optional<JavaCppMemoryFailure> of(Throwable error) {
        Limit limit = null;
        long resident = -1;
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = error; t != null && seen.size() < MAX_CAUSES && seen.add(t); t = t.getCause()) {
            if (!(t instanceof OutOfMemoryError) || t.getMessage() == null) {
                continue;
            }
            Matcher physical = PHYSICAL.matcher(t.getMessage());
            Matcher allocate = CANNOT_ALLOCATE.matcher(t.getMessage());
            if (physical.find()) {
                limit = Limit.MAX_PHYSICAL_BYTES;
                resident = bytes(physical.group(1));
            } else if (TRACKED.matcher(t.getMessage()).find()) {
                limit = Limit.MAX_BYTES;
            } else if (allocate.find()) {
                limit = limit == null ? Limit.MACHINE : limit;
                resident = resident < 0 ? bytes(allocate.group(1)) : resident;
            }
        }
        return limit == null ? Optional.empty() : Optional.of(new JavaCppMemoryFailure(limit, resident));
    }

    /** JavaCPP's {@code formatBytes} output ("529M") back to bytes, to the precision it was printed with. */
    private static long bytes(String formatted) {
        try {
            return ByteSize.parseJavaCpp(formatted, 0);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
