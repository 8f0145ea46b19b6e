package io.github.mdunet.core.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one finished epoch produced.
 *
 * @param epoch        1 for the first epoch
 * @param trainLoss    the mean training loss over the epoch's samples (each step's loss weighted by its batch; on
 *                     Spark the last split's score)
 * @param validation   the validator's metrics after the epoch
 * @param learningRate the schedule's factor at the epoch's last step
 * @param seconds      wall time of training and validation
 */
public record EpochRecord(int epoch, double trainLoss, Map<String, Double> validation, double learningRate,
                          double seconds) {

    public EpochRecord {
        validation = Collections.unmodifiableMap(new LinkedHashMap<>(validation));
    }

    /**
     * For a log line: {@code train loss 0.4321, validation loss 0.5012, meanIoU 0.7134, ..., 12.3 s}, each value to
     * four decimals.
     */
    public String describe() {
        return String.format(Locale.ROOT, "train loss %.4f, validation %s, %.1f s", trainLoss,
                describe(validation), seconds);
    }

    /** Metrics for a log line, in their order: {@code loss 0.5012, meanIoU 0.7134, iou/0 0.9650}, to four decimals. */
    public static String describe(Map<String, Double> metrics) {
        return metrics.entrySet().stream()
                .map(metric -> String.format(Locale.ROOT, "%s %.4f", metric.getKey(), metric.getValue()))
                .collect(Collectors.joining(", "));
    }
}
