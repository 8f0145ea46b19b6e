package io.github.mdunet.core.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one finished epoch produced.
 *
 * @param epoch        1 for the first epoch
 * @param trainLoss    the mean training loss over the epoch's steps
 * @param validation   the validator's metrics after the epoch
 * @param learningRate the schedule's factor at the epoch's last step
 * @param seconds      wall time of training and validation
 */
public record EpochRecord(int epoch, double trainLoss, Map<String, Double> validation, double learningRate,
                          double seconds) {

    public EpochRecord {
        validation = Collections.unmodifiableMap(new LinkedHashMap<>(validation));
    }
}
