package io.github.mdunet.core.metrics;

/**
 * Thrown by an evaluation given predictions that contain NaN, from which no class can be taken: a sign that the model
 * (or the data it was given) has diverged. An {@link IllegalArgumentException}, as any other input an evaluation
 * cannot take; the trainer reports it as divergence.
 */
public class NaNPredictionsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public NaNPredictionsException(String message) {
        super(message);
    }
}
