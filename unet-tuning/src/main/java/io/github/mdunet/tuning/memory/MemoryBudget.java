package io.github.mdunet.tuning.memory;

import io.github.mdunet.core.checks.Checks;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * How much memory a training run may use, in bytes (e.g. the free memory of a GPU). A candidate whose estimated
 * training memory exceeds it is never built; a limited budget refuses to judge a DOUBLE network's estimate, which
 * measured far above it ({@link #fits}).
 *
 * @param bytes the budget, at least 1
 */
public record MemoryBudget(long bytes) {

    /** A number and a binary unit: k, m, g or t, then optionally {@code i} and {@code b} ({@code GiB}, {@code gb}). */
    private static final Pattern SIZE =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt])i?b?", Pattern.CASE_INSENSITIVE);
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");

    public MemoryBudget {
        Checks.atLeast("MemoryBudget.bytes", bytes, 1);
    }

    /** No limit in practice ({@link Long#MAX_VALUE} bytes). */
    public static MemoryBudget unlimited() {
        return new MemoryBudget(Long.MAX_VALUE);
    }

    /** A budget of {@code gib} GiB. */
    public static MemoryBudget ofGiB(double gib) {
        return new MemoryBudget((long) (gib * (1L << 30)));
    }

    /** A budget of {@code mib} MiB. */
    public static MemoryBudget ofMiB(double mib) {
        return new MemoryBudget((long) (mib * (1L << 20)));
    }

    /**
     * Parses a size with its unit: {@code "24g"}, {@code "24GiB"}, {@code "24 gb"}, {@code "512m"}, {@code "1.5g"}
     * (binary units: k = 1024 bytes, m, g, t). A number without a unit is refused: {@code "24"} would be 24 bytes,
     * never what a budget means.
     *
     * @throws IllegalArgumentException naming the text when it is not a size with a unit
     */
    public static MemoryBudget parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (NUMBER.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("memory budget '" + text + "' has no unit: give k, m, g or t (binary,"
                    + " 1k = 1024 bytes), e.g. 24g or 512m");
        }
        Matcher matcher = SIZE.matcher(trimmed);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("memory budget must be a number and a unit (k, m, g or t; GiB and gb"
                    + " read the same) like 24g, 512m or 1.5GiB but was '" + text + "'");
        }
        double value = Double.parseDouble(matcher.group(1));
        int shift = switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> throw new IllegalStateException("SIZE admits no unit " + matcher.group(2));
        };
        double bytes = value * (1L << shift);
        if (bytes < 1) {
            throw new IllegalArgumentException("memory budget must be at least 1 byte but '" + text + "' is "
                    + (bytes == 0 ? "0 bytes" : "less than a byte") + ", e.g. 24g or 512m");
        }
        if (bytes >= Long.MAX_VALUE) {
            throw new IllegalArgumentException("memory budget '" + text + "' is more than any memory (over "
                    + Long.MAX_VALUE + " bytes); give a size like 24g, or no budget for none");
        }
        return new MemoryBudget((long) bytes);
    }

    /**
     * Whether a training run estimated at {@code estimate} fits. An unlimited budget takes every estimate; a limited
     * one judges only an estimate that measurements back ({@link MemoryEstimate#budgetCheckable()}).
     *
     * @throws IllegalArgumentException when this budget is limited and {@code estimate} is of a data type it cannot
     *                                  judge (DOUBLE), naming the type, what was measured and what to change
     */
    public boolean fits(MemoryEstimate estimate) {
        if (isUnlimited()) {
            return true;
        }
        checkCanJudge(estimate.dataType());
        return estimate.total() <= bytes;
    }

    /**
     * Refuses, before any estimate, a limited budget for networks of a {@code dataType} whose estimates it cannot
     * judge (DOUBLE): a search checks its base configuration so.
     *
     * @throws IllegalArgumentException naming the type, what was measured and what to change
     */
    public void checkCanJudge(DataType dataType) {
        if (!isUnlimited() && !MemoryEstimator.budgetCheckable(dataType)) {
            throw new IllegalArgumentException("the memory budget of " + this + " cannot judge the estimate of a "
                    + dataType + " network: "
                    + MemoryEstimator.dataTypeNote(dataType).orElse("its data type is not calibrated")
                    + ". Train in FLOAT (UNetConfig.withDataType(DataType.FLOAT); HALF is counted as FLOAT) or give no"
                    + " budget (MemoryBudget.unlimited())");
        }
    }

    public boolean isUnlimited() {
        return bytes == Long.MAX_VALUE;
    }

    /** Bytes as a short human-readable size: {@code 1.5 GiB}, {@code 312.0 MiB}. */
    public static String format(long bytes) {
        if (bytes == Long.MAX_VALUE) {
            return "unlimited";
        }
        double value = bytes;
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        while (Math.abs(value) >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    @Override
    public String toString() {
        return format(bytes);
    }
}
