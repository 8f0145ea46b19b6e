package io.github.mdunet.core.train;

/**
 * Thrown when the training loss or the validation loss becomes NaN or infinite, the monitored metric NaN or infinite
 * on its bad side, or the validation predictions NaN; checkpoints stay as they were.
 */
public class TrainingDivergedException extends RuntimeException {

    public TrainingDivergedException(String message) {
        super(message);
    }

    public TrainingDivergedException(String message, Throwable cause) {
        super(message, cause);
    }
}
