package io.github.mdunet.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.optim.TorchAdam;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/**
 * An updater with its own learning-rate schedule is refused by the trainer and the learning-rate finder before they
 * train, naming the updater, its schedule and the training configuration's schedule that replaces it; an updater at a
 * fixed rate trains as before.
 */
class UpdaterSchedulesTest {

    private static final ISchedule TENTH_EVERY_STEP = new StepSchedule(ScheduleType.ITERATION, 1e-2, 0.1, 1);

    @TempDir
    Path directory;

    private static UNet withUpdater(IUpdater updater) {
        return UNet.build(TrainerTest.tinyUNet().config().toBuilder().updater(updater).build());
    }

    @Test
    void theTrainerRefusesAConfiguredUpdatersScheduleBeforeItTrainsOrWrites() {
        UNet unet = withUpdater(new Adam(TENTH_EVERY_STEP));
        INDArray before = unet.graph().params().dup();
        Path checkpoints = directory.resolve("run");
        Trainer trainer = new Trainer(TrainingConfig.of(2, checkpoints).withProgressBar(false), Validator.loss());

        assertThatThrownBy(() -> trainer.fit(unet, TrainerTest.data(1), TrainerTest.data(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("UNetConfig.updater Adam has a learning-rate schedule of its own, "
                        + TENTH_EVERY_STEP + ", but the Trainer sets each step's rate itself, as its"
                        + " TrainingConfig.schedule's factor of the updater's fixed rate")
                .hasMessageContaining("replaced by its first rate, 0.01, for the whole run")
                .hasMessageContaining("Give the updater a fixed rate (e.g. new Adam(0.01))")
                .hasMessageContaining("TrainingConfig.withSchedule: LearningRateSchedule.OneCycle")
                .hasMessageEndingWith("Nothing was trained or saved.");
        assertThat(checkpoints).doesNotExist();
        assertThat(unet.graph().params()).isEqualTo(before);
        assertThat(unet.graph().getConfiguration().getIterationCount()).isZero();
    }

    @Test
    void theLearningRateFinderRefusesItBeforeItTrains() {
        UNet unet = withUpdater(new Sgd(new ExponentialSchedule(ScheduleType.EPOCH, 0.1, 0.5)));
        LearningRateFinder finder = new LearningRateFinder(new LearningRateFinder.Settings(1e-6, 1, 10, false));

        assertThatThrownBy(() -> finder.find(unet, TrainerTest.data(1)))
                .hasMessageStartingWith("UNetConfig.updater Sgd has a learning-rate schedule of its own, "
                        + "ExponentialSchedule(")
                .hasMessageContaining("but the learning-rate finder sets each step's rate itself")
                .hasMessageContaining("new Sgd(0.1)");
        assertThat(unet.graph().getConfiguration().getIterationCount()).isZero();
    }

    /** A schedule put on one layer's updater after the build (the configuration's updater fixed) is found there. */
    @Test
    void aScheduleOnALayersUpdaterIsRefusedNamingTheLayer() {
        UNet unet = TrainerTest.tinyUNet();
        var layer = unet.graph().getLayer("dec1_up_shuffle");
        layer.conf().getLayer().getUpdaterByParam("W").setLrAndSchedule(1e-2, TENTH_EVERY_STEP);
        Trainer trainer = new Trainer(TrainingConfig.of(1, directory).withProgressBar(false), Validator.loss());

        assertThatThrownBy(() -> trainer.fit(unet, TrainerTest.data(1), TrainerTest.data(2)))
                .hasMessageStartingWith("the updater Adam of layer 'dec1_up_shuffle' (parameter W) has a"
                        + " learning-rate schedule of its own, " + TENTH_EVERY_STEP);
    }

    @Test
    void updatersAtAFixedRateOrWithoutOneHaveNoSchedule() {
        assertThat(UpdaterSchedules.scheduleOf(new Adam(1e-3))).isEmpty();
        assertThat(UpdaterSchedules.scheduleOf(new TorchAdam(1e-3))).isEmpty();
        assertThat(UpdaterSchedules.scheduleOf(new Sgd(0.1))).isEmpty();
        assertThat(UpdaterSchedules.scheduleOf(new NoOp())).isEmpty();
        assertThat(UpdaterSchedules.scheduleOf(new AdaDelta())).isEmpty();
        assertThat(UpdaterSchedules.scheduleOf(new Decaying(false))).isEmpty();
        TorchAdam scheduled = new TorchAdam(1e-2);
        scheduled.setLrAndSchedule(1e-2, TENTH_EVERY_STEP);
        assertThat(UpdaterSchedules.scheduleOf(scheduled)).as("a subclass of ND4J's Adam")
                .hasValue(TENTH_EVERY_STEP.toString());
        assertThat(UpdaterSchedules.scheduleOf(new Decaying(true)))
                .hasValue("a rate that moves (0.01 at iteration 0, epoch 0; 0.005 at iteration 1, epoch 0)");
    }

    /** An updater of a type the check does not know: its rate halves at each iteration when {@code decays}. */
    private record Decaying(boolean decays) implements IUpdater {
        @Override
        public long stateSize(long numParams) {
            return 0;
        }

        @Override
        public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
            throw new UnsupportedOperationException();
        }

        @Override
        public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
            throw new UnsupportedOperationException();
        }

        @Override
        public IUpdater clone() {
            return this;
        }

        @Override
        public double getLearningRate(int iteration, int epoch) {
            return decays ? 1e-2 / Math.pow(2, iteration) : 1e-2;
        }

        @Override
        public boolean hasLearningRate() {
            return true;
        }

        @Override
        public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
            throw new UnsupportedOperationException();
        }
    }
}
