package io.github.mdunet.examples.parity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The differences between this project's {@link StepTrace} and the reference's expected tensors, grouped by kind
 * (step losses, learning rates, first gradients, parameters, batch-norm running statistics, Adam moments): per kind
 * the largest difference relative to the reference tensor's largest magnitude, and the worst key.
 */
public final class StepComparison {

    /** One kind of tensor: the worst relative difference and where it is. */
    public record Row(String kind, int tensors, double worstRelativeDifference, String worstKey) {
    }

    private StepComparison() {
    }

    /**
     * Compares every expected key with the trace.
     *
     * @throws IllegalArgumentException naming a key the trace lacks or whose size differs
     */
    public static List<Row> compare(Map<String, INDArray> project, Map<String, INDArray> reference) {
        Map<String, double[]> worst = new TreeMap<>();
        Map<String, String> worstKey = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (Map.Entry<String, INDArray> entry : reference.entrySet()) {
            String key = entry.getKey();
            String kind = kindOf(key);
            if (kind == null) {
                continue;
            }
            INDArray ours = project.get(key);
            if (ours == null) {
                throw new IllegalArgumentException("the project's trace has no '" + key + "'");
            }
            INDArray theirs = entry.getValue().castTo(DataType.DOUBLE).reshape(entry.getValue().length());
            INDArray mine = ours.castTo(DataType.DOUBLE).reshape(ours.length());
            if (mine.length() != theirs.length()) {
                throw new IllegalArgumentException("'" + key + "' has " + mine.length() + " elements here and "
                        + theirs.length() + " in the reference");
            }
            double scale = Math.max(theirs.amaxNumber().doubleValue(), 1e-12);
            double relative = mine.sub(theirs).amaxNumber().doubleValue() / scale;
            counts.merge(kind, 1, Integer::sum);
            if (relative >= worst.getOrDefault(kind, new double[] {-1})[0]) {
                worst.put(kind, new double[] {relative});
                worstKey.put(kind, key);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (String kind : worst.keySet()) {
            rows.add(new Row(kind, counts.get(kind), worst.get(kind)[0], worstKey.get(kind)));
        }
        return rows;
    }

    /** The rows as a Markdown table. */
    public static String toTable(List<Row> rows) {
        StringBuilder table = new StringBuilder("| kind | tensors | worst difference / reference max | at |\n"
                + "|---|---|---|---|\n");
        for (Row row : rows) {
            table.append(String.format(Locale.ROOT, "| %s | %d | %.2e | %s |%n", row.kind(), row.tensors(),
                    row.worstRelativeDifference(), row.worstKey()));
        }
        return table.toString();
    }

    /** The kind of a reference key, or null for keys not compared (the evaluation logits are compared apart). */
    static String kindOf(String key) {
        if (key.endsWith(".loss")) {
            return "step loss";
        }
        if (key.endsWith(".lr")) {
            return "learning rate";
        }
        if (key.startsWith("grad1.")) {
            return "gradient, step 1";
        }
        if (key.startsWith("adam.")) {
            return key.endsWith(".m") ? "Adam first moment" : "Adam second moment";
        }
        if (key.endsWith(".mean") || key.endsWith(".var")) {
            return "batch-norm running statistics";
        }
        if (key.startsWith("eval.")) {
            return null;
        }
        return "parameters after the last step";
    }
}
