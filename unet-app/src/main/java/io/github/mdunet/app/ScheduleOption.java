package io.github.mdunet.app;

import io.github.mdunet.core.train.LearningRateSchedule;
import picocli.CommandLine.Option;

/**
 * {@code --schedule}: how the learning rate moves over a training run, each choice a factor of
 * {@code --learning-rate}. A picocli mixin for the apps that train on a folder ({@code train}, {@code
 * spark-train-folder}).
 */
public final class ScheduleOption {

    /** The choices on the command line. */
    public enum Choice {
        /** fastai's fit_one_cycle: warm-up to the rate over the first quarter, cosine down to 1e-5 of it. */
        ONE_CYCLE,
        /** fastai's fit_flat_cos: the rate for the first three quarters, then cosine down to 1e-5 of it. */
        FLAT_COS,
        /** Cosine annealing from the rate down to 1e-5 of it. */
        COSINE,
        /** The rate throughout. */
        CONSTANT;

        /** The schedule this choice names. */
        public LearningRateSchedule schedule() {
            return switch (this) {
                case ONE_CYCLE -> LearningRateSchedule.OneCycle.fastai();
                case FLAT_COS -> LearningRateSchedule.FlatCosine.fastai();
                case COSINE -> new LearningRateSchedule.Cosine(1e-5);
                case CONSTANT -> new LearningRateSchedule.Constant();
            };
        }
    }

    @Option(names = "--schedule", description = "How the learning rate moves over the run: ${COMPLETION-CANDIDATES}"
            + " (fastai's fit_one_cycle, fit_flat_cos, cosine annealing, constant).")
    Choice choice = Choice.ONE_CYCLE;

    /** The schedule chosen, one-cycle unless given. */
    public LearningRateSchedule schedule() {
        return choice.schedule();
    }
}
