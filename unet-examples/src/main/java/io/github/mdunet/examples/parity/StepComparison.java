package io.github.mdunet.examples.parity;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The differences between this project's {@link StepTrace} and the reference's expected tensors, grouped by
 * {@link Kind}: per kind the worst tensor, its largest absolute difference, that difference relative to the
 * reference tensor's largest magnitude, and whether every tensor of the kind is within the kind's tolerance
 * {@code |ours - reference| <= atol + rtol * max|reference|}.
 */
public final class StepComparison {

    /**
     * The kinds of tensor compared, with tolerances for float32 computed by two libraries: different convolution
     * algorithms and summation orders differ by about 1e-6 relative per step, and Adam divides by the root of the
     * second moment, which magnifies that for gradients near zero. Running variances differ more: DL4J's batch norm
     * updates them with the biased batch variance, PyTorch with the unbiased one (a factor {@code n / (n - 1)} for
     * {@code n} values per channel), and inference logits follow the running statistics.
     */
    public enum Kind {
        STEP_LOSS("step loss", new Tolerance(1e-5, 0)),
        LEARNING_RATE("learning rate", new Tolerance(1e-6, 0)),
        GRADIENT("gradient, step 1", new Tolerance(2e-3, 1e-8)),
        PARAMETERS("parameters after the last step", new Tolerance(2e-3, 1e-6)),
        RUNNING_STATISTICS("batch-norm running statistics", new Tolerance(1e-2, 1e-6)),
        ADAM_FIRST_MOMENT("Adam first moment", new Tolerance(5e-3, 1e-9)),
        ADAM_SECOND_MOMENT("Adam second moment", new Tolerance(5e-3, 1e-12)),
        LOGITS("inference logits after the last step", new Tolerance(1e-2, 1e-5));

        private final String description;
        private final Tolerance tolerance;

        Kind(String description, Tolerance tolerance) {
            this.description = description;
            this.tolerance = tolerance;
        }

        /** The kind of a reference key. */
        public static Kind of(String key) {
            if (key.endsWith(StepTrace.LOSS_SUFFIX)) {
                return STEP_LOSS;
            }
            if (key.endsWith(StepTrace.LEARNING_RATE_SUFFIX)) {
                return LEARNING_RATE;
            }
            if (key.startsWith(StepTrace.GRADIENT_PREFIX)) {
                return GRADIENT;
            }
            if (key.startsWith(StepTrace.ADAM_PREFIX)) {
                return key.endsWith(StepTrace.FIRST_MOMENT_SUFFIX) ? ADAM_FIRST_MOMENT : ADAM_SECOND_MOMENT;
            }
            if (key.startsWith(StepTrace.EVAL_PREFIX)) {
                return LOGITS;
            }
            if (key.endsWith("." + BatchNormalizationParamInitializer.GLOBAL_MEAN)
                    || key.endsWith("." + BatchNormalizationParamInitializer.GLOBAL_VAR)) {
                return RUNNING_STATISTICS;
            }
            return PARAMETERS;
        }
    }

    /**
     * How far a tensor may be from the reference: {@code |ours - reference| <= atol + rtol * max|reference|}.
     *
     * @param rtol the allowed difference relative to the reference tensor's largest magnitude
     * @param atol the allowed absolute difference on top of it
     */
    public record Tolerance(double rtol, double atol) {

        /** Whether {@code difference} is allowed where the reference tensor reaches {@code referenceMax}. */
        boolean allows(double difference, double referenceMax) {
            return difference <= atol + rtol * referenceMax;
        }
    }

    /** One kind: its worst tensor and whether all its tensors are within tolerance. */
    public record Row(Kind kind, int tensors, String worstKey, double worstAbsoluteDifference,
                      double worstRelativeDifference, boolean withinTolerance) {
    }

    private StepComparison() {
    }

    /**
     * Compares every expected key with the trace.
     *
     * @throws IllegalArgumentException naming a key the trace lacks or whose size differs
     */
    public static List<Row> compare(Map<String, INDArray> project, Map<String, INDArray> reference) {
        Map<Kind, Row> rows = new EnumMap<>(Kind.class);
        for (Map.Entry<String, INDArray> entry : reference.entrySet()) {
            String key = entry.getKey();
            Kind kind = Kind.of(key);
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
            double scale = theirs.amaxNumber().doubleValue();
            double absolute = mine.sub(theirs).amaxNumber().doubleValue();
            double relative = absolute / Math.max(scale, Double.MIN_NORMAL);
            boolean within = kind.tolerance.allows(absolute, scale);
            Row previous = rows.get(kind);
            int count = previous == null ? 1 : previous.tensors() + 1;
            boolean allWithin = within && (previous == null || previous.withinTolerance());
            boolean worse = previous == null || (!within && previous.withinTolerance())
                    || (within == previous.withinTolerance() && relative > previous.worstRelativeDifference());
            rows.put(kind, worse ? new Row(kind, count, key, absolute, relative, allWithin)
                    : new Row(kind, count, previous.worstKey(), previous.worstAbsoluteDifference(),
                            previous.worstRelativeDifference(), allWithin));
        }
        return new ArrayList<>(rows.values());
    }

    /** The rows as a Markdown table. */
    public static String toTable(List<Row> rows) {
        StringBuilder table = new StringBuilder("| kind | tensors | worst tensor | max abs difference | relative to"
                + " reference max | tolerance (rtol, atol) | within |\n|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            table.append(String.format(Locale.ROOT, "| %s | %d | %s | %.2e | %.2e | %.0e, %.0e | %s |%n",
                    row.kind().description, row.tensors(), row.worstKey(), row.worstAbsoluteDifference(),
                    row.worstRelativeDifference(), row.kind().tolerance.rtol(), row.kind().tolerance.atol(),
                    row.withinTolerance() ? "yes" : "NO"));
        }
        return table.toString();
    }
}
