package io.github.mdunet.core.train;

import io.github.mdunet.core.checks.Checks;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How to train: epochs, schedule, what to monitor, when to stop and where to keep checkpoints.
 *
 * @param epochs              epochs to train in total (a resumed run counts the finished ones), >= 1
 * @param schedule            the learning-rate schedule, a factor of the layers' configured rates
 * @param monitor             the validation metric that picks the best model
 * @param earlyStopping       stop early when the monitored metric stalls; empty to always run all epochs
 * @param checkpointDirectory where {@code last.zip}, {@code best.zip}, periodic checkpoints,
 *                            {@code training-state.json} and {@code training.lock} go; a run pointed at a directory
 *                            with a state file resumes from it, when it is the same run (see {@link Trainer})
 * @param checkpointEvery     also keep {@code epoch-<n>.zip} every this many epochs; 0 for none
 * @param progressBar         show a console progress bar with ETA and the current loss
 */
public record TrainingConfig(int epochs, LearningRateSchedule schedule, Monitor monitor,
                             Optional<EarlyStopping> earlyStopping, Path checkpointDirectory, int checkpointEvery,
                             boolean progressBar) {

    public TrainingConfig {
        Checks.atLeast("epochs", epochs, 1);
        if (schedule == null) {
            throw new IllegalArgumentException("schedule must be set (e.g. LearningRateSchedule.OneCycle.fastai())");
        }
        if (monitor == null) {
            throw new IllegalArgumentException("monitor must be set (e.g. Monitor.minimize(\"loss\"))");
        }
        if (earlyStopping == null) {
            earlyStopping = Optional.empty();
        }
        if (checkpointDirectory == null) {
            throw new IllegalArgumentException("checkpointDirectory must be set");
        }
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("checkpointEvery must be >= 0 (0 = no periodic checkpoints) but was "
                    + checkpointEvery);
        }
    }

    /** {@code epochs} epochs, one-cycle schedule, validation loss monitored, no early stopping, a progress bar. */
    public static TrainingConfig of(int epochs, Path checkpointDirectory) {
        return new TrainingConfig(epochs, LearningRateSchedule.OneCycle.fastai(), Monitor.minimize(Validator.LOSS),
                Optional.empty(), checkpointDirectory, 0, true);
    }

    public TrainingConfig withSchedule(LearningRateSchedule value) {
        return new TrainingConfig(epochs, value, monitor, earlyStopping, checkpointDirectory, checkpointEvery,
                progressBar);
    }

    public TrainingConfig withMonitor(Monitor value) {
        return new TrainingConfig(epochs, schedule, value, earlyStopping, checkpointDirectory, checkpointEvery,
                progressBar);
    }

    public TrainingConfig withEarlyStopping(EarlyStopping value) {
        return new TrainingConfig(epochs, schedule, monitor, Optional.ofNullable(value), checkpointDirectory,
                checkpointEvery, progressBar);
    }

    public TrainingConfig withCheckpointEvery(int value) {
        return new TrainingConfig(epochs, schedule, monitor, earlyStopping, checkpointDirectory, value, progressBar);
    }

    public TrainingConfig withProgressBar(boolean value) {
        return new TrainingConfig(epochs, schedule, monitor, earlyStopping, checkpointDirectory, checkpointEvery,
                value);
    }
}
