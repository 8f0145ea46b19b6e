package io.github.mdunet.data.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How many mask pixels each class id has over a set of masks.
 *
 * @param classNames name of each class id, index = id
 * @param pixels     pixel count of each class id, index = id; same size as {@code classNames}
 */
public record ClassBalance(List<String> classNames, List<Long> pixels) {

    public ClassBalance {
        classNames = List.copyOf(classNames);
        pixels = List.copyOf(pixels);
        if (classNames.size() != pixels.size()) {
            throw new IllegalArgumentException("ClassBalance needs one pixel count per class name but had "
                    + classNames.size() + " names " + classNames + " and " + pixels.size() + " counts");
        }
    }

    /** Counts the ids of {@code masks}; an id outside {@code 0..classNames.size()-1} throws, naming it. */
    public static ClassBalance count(List<String> classNames, List<int[]> masks) {
        long[] counts = new long[classNames.size()];
        for (int[] mask : masks) {
            for (int id : mask) {
                if (id < 0 || id >= counts.length) {
                    throw new IllegalArgumentException("class id " + id + " is outside 0.." + (counts.length - 1)
                            + " " + classNames);
                }
                counts[id]++;
            }
        }
        List<Long> pixels = new ArrayList<>(counts.length);
        for (long count : counts) {
            pixels.add(count);
        }
        return new ClassBalance(classNames, pixels);
    }

    /** All pixels counted. */
    public long totalPixels() {
        return pixels.stream().mapToLong(Long::longValue).sum();
    }

    /** The share of pixels of {@code classId}, in [0, 1]; 0 when nothing was counted. */
    public double fraction(int classId) {
        long total = totalPixels();
        return total == 0 ? 0 : pixels.get(classId) / (double) total;
    }

    /** One line, e.g. {@code background 71.9%, grass 9.1%, cells 9.6%, waves 9.4%}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (int id = 0; id < classNames.size(); id++) {
            parts.add(String.format(Locale.ROOT, "%s %.1f%%", classNames.get(id), 100 * fraction(id)));
        }
        return String.join(", ", parts);
    }
}
