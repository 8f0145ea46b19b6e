package io.github.mdunet.reference.torch.compare;

import io.github.mdunet.reference.torch.npy.NpyArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Key-by-key differences between an expected and an actual archive. A key differs when
 * max|actual - expected| > absoluteTolerance + relativeTolerance * max|expected|. Arrays whose shapes differ but
 * whose element counts agree are compared in C order and reported as a shape difference too.
 */
public record NpzComparison(List<String> missing, List<String> extra, List<Entry> entries) {

    /** One key: the largest absolute difference, the largest |expected|, and any shape note. */
    public record Entry(String key, double maxAbsDifference, double maxAbsExpected, String shapeNote, boolean differs) {

        /** The largest difference relative to the largest expected magnitude. */
        public double relative() {
            return maxAbsDifference / Math.max(maxAbsExpected, 1e-30);
        }

        /** The first part of the key: step, grad1, adam, eval, or the vertex name for parameters. */
        public String group() {
            int dot = key.indexOf('.');
            String head = dot < 0 ? key : key.substring(0, dot);
            return head.startsWith("step") ? "step" : head.equals("grad1") || head.equals("adam")
                    || head.equals("eval") ? head : "params";
        }
    }

    public NpzComparison {
        missing = List.copyOf(missing);
        extra = List.copyOf(extra);
        entries = List.copyOf(entries);
    }

    public static NpzComparison of(Map<String, NpyArray> expected, Map<String, NpyArray> actual,
            double relativeTolerance, double absoluteTolerance) {
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>(actual.keySet());
        extra.removeAll(expected.keySet());
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, NpyArray> item : expected.entrySet()) {
            NpyArray other = actual.get(item.getKey());
            if (other == null) {
                missing.add(item.getKey());
                continue;
            }
            NpyArray reference = item.getValue();
            String note = Arrays.equals(reference.shape(), other.shape()) ? ""
                    : "shape " + Arrays.toString(other.shape()) + " where " + Arrays.toString(reference.shape())
                            + " was expected";
            if (reference.numel() != other.numel()) {
                entries.add(new Entry(item.getKey(), Double.NaN, Double.NaN, note, true));
                continue;
            }
            float[] a = reference.toFloats();
            float[] b = other.toFloats();
            double maxDifference = 0;
            double maxExpected = 0;
            for (int i = 0; i < a.length; i++) {
                double difference = Math.abs((double) a[i] - b[i]);
                maxDifference = Double.isNaN(difference) ? Double.POSITIVE_INFINITY
                        : Math.max(maxDifference, difference);
                maxExpected = Math.max(maxExpected, Math.abs(a[i]));
            }
            boolean differs = maxDifference > absoluteTolerance + relativeTolerance * maxExpected || !note.isEmpty();
            entries.add(new Entry(item.getKey(), maxDifference, maxExpected, note, differs));
        }
        return new NpzComparison(missing, extra, entries);
    }

    /** Whether every expected key is present with the same shape and within tolerance. */
    public boolean agrees() {
        return missing.isEmpty() && entries.stream().noneMatch(Entry::differs);
    }

    /** A summary: per group the worst key, then every key that differs, then missing and extra keys. */
    public String report() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-8s %6s  %-44s %12s %12s%n", "group", "keys", "worst key", "max |diff|",
                "relative"));
        for (String group : List.of("step", "grad1", "params", "adam", "eval")) {
            List<Entry> inGroup = entries.stream().filter(e -> e.group().equals(group)).toList();
            inGroup.stream().max((x, y) -> Double.compare(x.relative(), y.relative())).ifPresent(worst ->
                    out.append(String.format("%-8s %6d  %-44s %12.3e %12.3e%n", group, inGroup.size(), worst.key(),
                            worst.maxAbsDifference(), worst.relative())));
        }
        List<Entry> differing = entries.stream().filter(Entry::differs).toList();
        out.append(differing.isEmpty() ? "every key agrees within tolerance\n"
                : differing.size() + " key(s) differ:\n");
        for (Entry entry : differing) {
            out.append(String.format("  %-50s max |diff| %.3e  relative %.3e  %s%n", entry.key(),
                    entry.maxAbsDifference(), entry.relative(), entry.shapeNote()));
        }
        if (!missing.isEmpty()) {
            out.append("missing from the actual file: ").append(missing).append('\n');
        }
        if (!extra.isEmpty()) {
            out.append("only in the actual file: ").append(extra).append('\n');
        }
        return out.toString();
    }
}
