package io.github.mdunet.core.train;

import java.util.Collection;

/**
 * The validation metric that picks the best model and drives early stopping.
 *
 * @param metric   a key of the validator's metrics, e.g. {@code "loss"} or {@code "meanIoU"}
 * @param maximize true when larger is better (IoU), false when smaller is (loss)
 */
public record Monitor(String metric, boolean maximize) {

    public Monitor {
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("Monitor.metric must name a validation metric but was '" + metric + "'");
        }
    }

    public static Monitor minimize(String metric) {
        return new Monitor(metric, false);
    }

    public static Monitor maximize(String metric) {
        return new Monitor(metric, true);
    }

    /**
     * Refuses a monitor whose metric is not among {@code metricNames}, the metrics of the validator.
     *
     * @param consequence what the message ends with, e.g. {@code " Nothing was trained or saved."}; may be empty
     * @throws IllegalArgumentException naming the metric and the validator's metrics
     */
    void requireAmong(Collection<String> metricNames, String consequence) {
        if (!metricNames.contains(metric)) {
            throw new IllegalArgumentException("monitor metric '" + metric + "' is not among the validator's metrics "
                    + metricNames + consequence);
        }
    }

    /**
     * Whether {@code value} means the run diverged: NaN, or the infinity on the metric's bad side ({@code -Infinity}
     * for a metric to maximise, {@code +Infinity} for one to minimise). The other infinity is a perfect score.
     */
    boolean diverged(double value) {
        return Double.isNaN(value) || value == (maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
    }

    /** Whether {@code candidate} beats {@code best} by more than {@code minDelta}. */
    boolean improves(double candidate, double best, double minDelta) {
        if (Double.isNaN(best)) {
            return !Double.isNaN(candidate);
        }
        return maximize ? candidate > best + minDelta : candidate < best - minDelta;
    }
}
