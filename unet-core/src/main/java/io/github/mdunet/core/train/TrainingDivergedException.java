package io.github.mdunet.core.train;

/** Thrown when the training loss or the monitored metric becomes NaN or infinite; checkpoints stay as they were. */
public class TrainingDivergedException extends RuntimeException {

    public TrainingDivergedException(String message) {
        super(message);
    }
}
