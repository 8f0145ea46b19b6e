package io.github.mdunet.core.train;

import io.github.mdunet.core.metrics.NaNPredictionsException;
import java.util.Map;

/**
 * What a validation says about divergence, for {@link Trainer} and the trainers of other modules (Spark) alike: a
 * validation loss that is NaN or infinite, whatever is monitored; a monitored value that {@link Monitor#diverged} says
 * is; predictions that contain NaN.
 */
public final class Divergence {

    /** The name of the validation loss among a validator's metrics. */
    public static final String LOSS = "loss";

    private Divergence() {
    }

    /**
     * The value of {@code monitor}'s metric in {@code metrics}, after checking them for divergence.
     *
     * @param lastGood what the message adds about the last good checkpoint, e.g. {@code "; the last good checkpoint
     *                 is checkpoints/last.zip (epoch 2)"}
     * @throws TrainingDivergedException naming the metric, its value, the epoch and {@code lastGood}
     * @throws IllegalArgumentException  when the monitored metric is not among {@code metrics}
     */
    public static double monitoredValue(Map<String, Double> metrics, Monitor monitor, int epoch, String lastGood) {
        Double loss = metrics.get(LOSS);
        if (loss != null && !Double.isFinite(loss)) {
            throw diverged(LOSS, loss, epoch, lastGood);
        }
        Double value = metrics.get(monitor.metric());
        if (value == null) {
            throw new IllegalArgumentException("monitor metric '" + monitor.metric()
                    + "' is not among the validator's metrics " + metrics.keySet());
        }
        if (monitor.diverged(value)) {
            throw diverged(monitor.metric(), value, epoch, lastGood);
        }
        return value;
    }

    /** The divergence that NaN validation predictions after {@code epoch} mean. */
    public static TrainingDivergedException ofPredictions(NaNPredictionsException cause, int epoch, String lastGood) {
        return new TrainingDivergedException("validation after epoch " + epoch + " failed: " + cause.getMessage()
                + lastGood + ". Lower the learning rate or check the validation data for NaN values.", cause);
    }

    private static TrainingDivergedException diverged(String metric, double value, int epoch, String lastGood) {
        return new TrainingDivergedException("validation " + metric + " became " + value + " after epoch " + epoch
                + lastGood + ". Lower the learning rate or check the validation data for NaN values.");
    }
}
