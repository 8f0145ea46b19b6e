package io.github.mdunet.parallel;

import org.deeplearning4j.parallelism.ParallelWrapper.TrainingMode;

/** How data-parallel workers keep their model copies in step. */
public enum SyncMode {

    /**
     * Each worker steps its own copy; every {@code averagingFrequency} rounds, and after an epoch's last round, the
     * parameters and the updater state (Adam's moments) are averaged over the workers. With a frequency of 1 this is
     * synchronous data parallelism; with one above an epoch's rounds each worker trains alone for the epoch and the
     * copies are averaged at its end.
     */
    AVERAGING,

    /**
     * Each worker applies its own update and sends it, threshold-encoded, to the others (DL4J's gradient sharing):
     * no averaging rounds, but updates below the encoding threshold are delayed in a residual.
     */
    SHARED_GRADIENTS;

    TrainingMode toDl4j() {
        return switch (this) {
            case AVERAGING -> TrainingMode.AVERAGING;
            case SHARED_GRADIENTS -> TrainingMode.SHARED_GRADIENTS;
        };
    }
}
