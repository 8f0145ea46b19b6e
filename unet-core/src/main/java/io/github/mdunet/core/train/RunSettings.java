package io.github.mdunet.core.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a run's outcome depends on besides the U-Net's configuration, recorded in the training state so that a resumed
 * run refuses to continue with other settings: another epoch count or schedule shifts the learning rate of every
 * remaining step, another monitor makes the best value meaningless, other data makes the finished epochs another run's.
 *
 * @param epochs         the epochs of the whole run
 * @param schedule       the learning-rate schedule
 * @param monitor        the metric that picks the best model
 * @param stepsPerEpoch  training batches per epoch
 * @param trainingData   the training iterator's {@link DataIdentity}
 * @param validationData the validation iterator's {@link DataIdentity}
 */
record RunSettings(int epochs, LearningRateSchedule schedule, Monitor monitor, long stepsPerEpoch, String trainingData,
                   String validationData) {

    static RunSettings of(TrainingConfig config, long stepsPerEpoch, String trainingData, String validationData) {
        return new RunSettings(config.epochs(), config.schedule(), config.monitor(), stepsPerEpoch, trainingData,
                validationData);
    }

    /** Each setting that differs from {@code saved}'s, as {@code "epochs: 6 in the checkpoint, 8 now"}. */
    List<String> changesFrom(RunSettings saved) {
        List<String> changes = new ArrayList<>();
        compare(changes, "epochs", saved.epochs, epochs);
        compare(changes, "schedule", saved.schedule, schedule);
        compare(changes, "monitor", saved.monitor, monitor);
        compare(changes, "training batches per epoch", saved.stepsPerEpoch, stepsPerEpoch);
        compare(changes, "training data", saved.trainingData, trainingData);
        compare(changes, "validation data", saved.validationData, validationData);
        return changes;
    }

    private static void compare(List<String> changes, String name, Object saved, Object now) {
        if (!Objects.equals(saved, now)) {
            changes.add(name + ": " + saved + " in the checkpoint, " + now + " now");
        }
    }
}
