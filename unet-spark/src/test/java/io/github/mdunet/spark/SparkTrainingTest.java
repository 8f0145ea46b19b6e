package io.github.mdunet.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.train.LearningRateSchedule;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each out-of-range setting is refused with a message naming the field, its meaning where it has one, and the value;
 * the schedule is fastai's one-cycle, as on one machine, unless set.
 */
class SparkTrainingTest {

    private static final Path CHECKPOINTS = Path.of("checkpoints");

    @Test
    void refusesEachSettingBelowItsMinimum() {
        assertThatThrownBy(() -> SparkTraining.of(0, 8, CHECKPOINTS))
                .hasMessage("SparkTraining.epochs must be >= 1 but was 0");
        assertThatThrownBy(() -> SparkTraining.of(1, 0, CHECKPOINTS))
                .hasMessage("SparkTraining.batchSizePerWorker must be >= 1 but was 0");
        assertThatThrownBy(() -> SparkTraining.of(1, 8, CHECKPOINTS).withAveragingFrequency(0))
                .hasMessage("SparkTraining.averagingFrequency must be >= 1 (batches per worker between averages)"
                        + " but was 0");
        assertThatThrownBy(() -> new SparkTraining(1, 8, 1, -1, CHECKPOINTS, Optional.empty(),
                LearningRateSchedule.OneCycle.fastai(), 0))
                .hasMessage("SparkTraining.workerPrefetchBatches must be >= 0 (0 = none) but was -1");
        assertThatThrownBy(() -> SparkTraining.of(1, 8, CHECKPOINTS).withWorkers(-1))
                .hasMessage("SparkTraining.workers must be >= 0 (0 = Spark's default parallelism) but was -1");
        assertThatThrownBy(() -> SparkTraining.of(1, 8, null))
                .hasMessage("SparkTraining.checkpointDirectory must be set");
        assertThatThrownBy(() -> SparkTraining.of(1, 8, CHECKPOINTS).withSchedule(null))
                .hasMessageStartingWith("SparkTraining.schedule must be set (one of ")
                .hasMessageContaining("OneCycle");
    }

    @Test
    void trainsWithFastaisOneCycleUnlessToldOtherwise() {
        assertThat(SparkTraining.of(1, 8, CHECKPOINTS).schedule()).isEqualTo(LearningRateSchedule.OneCycle.fastai());
        assertThat(SparkTraining.of(1, 8, CHECKPOINTS).withSchedule(new LearningRateSchedule.Constant()).schedule())
                .isEqualTo(new LearningRateSchedule.Constant());
    }
}
