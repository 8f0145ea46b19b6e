package io.github.mdunet.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The divergence rules every trainer applies to a validation's metrics. */
class DivergenceTest {

    private static final String LAST_GOOD = "; the last good checkpoint is last.zip (epoch 2)";

    @Test
    void aNonFiniteValidationLossDivergesWhateverIsMonitored() {
        assertThatThrownBy(() -> Divergence.monitoredValue(Map.of("loss", Double.POSITIVE_INFINITY, "meanIoU", 0.7),
                Monitor.maximize("meanIoU"), 3, LAST_GOOD))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessage("validation loss became Infinity after epoch 3" + LAST_GOOD + ". Lower the learning rate"
                        + " or check the validation data for NaN values.");
    }

    @Test
    void aMonitoredValueDivergesWhenNaNOrInfiniteOnItsBadSideOnly() {
        assertThatThrownBy(() -> Divergence.monitoredValue(Map.of("meanIoU", Double.NaN),
                Monitor.maximize("meanIoU"), 1, "")).isInstanceOf(TrainingDivergedException.class)
                .hasMessageStartingWith("validation meanIoU became NaN after epoch 1.");
        assertThatThrownBy(() -> Divergence.monitoredValue(Map.of("psnr", Double.NEGATIVE_INFINITY),
                Monitor.maximize("psnr"), 1, "")).isInstanceOf(TrainingDivergedException.class);
        assertThat(Divergence.monitoredValue(Map.of("psnr", Double.POSITIVE_INFINITY), Monitor.maximize("psnr"), 1,
                "")).isInfinite();
        assertThat(Divergence.monitoredValue(Map.of("loss", 0.25), Monitor.minimize("loss"), 1, "")).isEqualTo(0.25);
    }

    /**
     * A class in neither the validation labels nor the predictions has an IoU of 0 / 0: NaN beside a finite loss is
     * an undefined metric, not a divergence, and the message says so instead of advising a lower learning rate.
     */
    @Test
    void aMonitoredValueThatIsNaNBesideAFiniteLossIsUndefinedNotDiverged() {
        assertThatThrownBy(() -> Divergence.monitoredValue(Map.of("loss", 0.5, "meanIoU", 0.8, "iou/2", Double.NaN),
                Monitor.maximize("iou/2"), 3, LAST_GOOD))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("validation iou/2 is NaN after epoch 3 while the validation loss is finite (0.5): the"
                        + " metric is undefined on this validation data, not diverged; a per-class metric such as"
                        + " iou/<k> is NaN when class k is in neither the validation labels nor the predictions, and"
                        + " on the same data it stays NaN, or 0 once the class is predicted, so it cannot pick the"
                        + " best model" + LAST_GOOD + ". Monitor a metric that this validation data defines, such as"
                        + " meanIoU (the mean over the classes present), or validate on data that contains the"
                        + " class.");
    }

    @Test
    void aMonitorWithoutItsMetricIsAnError() {
        assertThatThrownBy(() -> Divergence.monitoredValue(Map.of("loss", 0.5), Monitor.maximize("meanIoU"), 1, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("monitor metric 'meanIoU' is not among the validator's metrics [loss]");
    }
}
