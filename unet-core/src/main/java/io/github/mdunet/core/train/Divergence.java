package io.github.mdunet.core.train;

import io.github.mdunet.core.metrics.NaNPredictionsException;
import java.util.Map;

/**
 * What a validation says about divergence, for {@link Trainer} and the trainers of other modules (Spark) alike: a
 * validation loss that is NaN or infinite, whatever is monitored; a monitored value that {@link Monitor#diverged} says
 * is; predictions that contain NaN.
 */
public final class Divergence {

    private Divergence() {
    }

    /**
     * The value of {@code monitor}'s metric in {@code metrics}, after checking them for divergence. A monitored value
     * that is NaN while the validation loss is finite is not a divergence: the model's outputs are finite, and the
     * metric is undefined on this validation data, as the IoU of a class in neither the labels nor the predictions
     * (0 / 0). That is refused too, with its own message: with the same validation data such a metric stays NaN, or
     * 0 once the class is predicted, and would pick the best model and stop the run early by chance.
     *
     * @param lastGood what the message adds about the last good checkpoint, e.g. {@code "; the last good checkpoint
     *                 is checkpoints/last.zip (epoch 2)"}
     * @throws TrainingDivergedException naming the metric, its value, the epoch and {@code lastGood}
     * @throws IllegalArgumentException  when the monitored metric is not among {@code metrics}, or is NaN while the
     *                                   validation loss is finite (naming the metric, the loss, the epoch,
     *                                   {@code lastGood} and the fix)
     */
    public static double monitoredValue(Map<String, Double> metrics, Monitor monitor, int epoch, String lastGood) {
        Double loss = metrics.get(Validator.LOSS);
        if (loss != null && !Double.isFinite(loss)) {
            throw diverged(Validator.LOSS, loss, epoch, lastGood);
        }
        monitor.requireAmong(metrics.keySet(), "");
        double value = metrics.get(monitor.metric());
        if (Double.isNaN(value) && loss != null) {
            throw new IllegalArgumentException("validation " + monitor.metric() + " is NaN after epoch " + epoch
                    + " while the validation loss is finite (" + loss + "): the metric is undefined on this"
                    + " validation data, not diverged; a per-class metric such as iou/<k> is NaN when class k is in"
                    + " neither the validation labels nor the predictions, and on the same data it stays NaN, or 0"
                    + " once the class is predicted, so it cannot pick the best model" + lastGood + ". Monitor a"
                    + " metric that this validation data defines, such as meanIoU (the mean over the classes"
                    + " present), or validate on data that contains the class.");
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
