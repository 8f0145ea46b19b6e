package io.github.mdunet.core.memoryuse;

import java.util.Locale;

/** Byte counts as JavaCPP reads them from its properties, and as people read them in logs and messages. */
public final class ByteSize {

    /** Bytes in a kibibyte, a mebibyte and a gibibyte. */
    public static final long KIB = 1024;
    public static final long MIB = 1024 * KIB;
    public static final long GIB = 1024 * MIB;

    private ByteSize() {
    }

    /**
     * Reads a size the way JavaCPP's {@code Pointer.parseBytes} does (JavaCPP 1.5.7): digits, then an optional
     * {@code %} (of {@code relativeMultiple}) or a binary unit {@code k}, {@code m}, {@code g}, {@code t}, each
     * optionally followed by {@code b}, case-insensitive. Kept here because calling JavaCPP's own method would
     * initialise its {@code Pointer} class, which fixes the limits the {@code nativememory} package is about to set.
     *
     * @throws NumberFormatException when JavaCPP could not read the value either
     */
    public static long parseJavaCpp(String text, long relativeMultiple) {
        int digits = 0;
        while (digits < text.length() && Character.isDigit(text.charAt(digits))) {
            digits++;
        }
        long size = Long.parseLong(text.substring(0, digits));
        return switch (text.substring(digits).trim().toLowerCase(Locale.ROOT)) {
            case "%" -> size * relativeMultiple / 100;
            case "t", "tb" -> size * 1024 * GIB;
            case "g", "gb" -> size * GIB;
            case "m", "mb" -> size * MIB;
            case "k", "kb" -> size * KIB;
            case "" -> size;
            default -> throw new NumberFormatException("Cannot parse into bytes: " + text);
        };
    }

    /** For people: {@code 512 MiB}, {@code 21.2 GiB}; {@code unlimited} for 0 or less, as JavaCPP means it. */
    public static String format(long bytes) {
        if (bytes <= 0) {
            return "unlimited";
        }
        if (bytes >= GIB) {
            return String.format(Locale.ROOT, "%.1f GiB", (double) bytes / GIB);
        }
        if (bytes >= MIB) {
            return String.format(Locale.ROOT, "%d MiB", Math.round((double) bytes / MIB));
        }
        return String.format(Locale.ROOT, "%d KiB", Math.max(1, Math.round((double) bytes / KIB)));
    }

    /**
     * A value for a {@code -D} flag that JavaCPP reads, rounded down to whole GiB from 8 GiB on and to whole MiB
     * below: {@code 21g}, {@code 900m}; {@code 0} (no limit) for 0 or less.
     */
    public static String flagValue(long bytes) {
        if (bytes <= 0) {
            return "0";
        }
        if (bytes >= 8 * GIB) {
            return (bytes / GIB) + "g";
        }
        return Math.max(1, bytes / MIB) + "m";
    }
}
