package io.github.mdunet.core.train;

import java.io.IOException;

/**
 * A checkpoint directory whose training state cannot be read, or whose models are not the ones its state committed.
 * The message names the file, says what is wrong and which models are kept; nothing in the directory is deleted.
 */
public class CorruptCheckpointException extends IOException {

    /** What is wrong with which file, without what to do about it. */
    private final String problem;

    public CorruptCheckpointException(String message, Throwable cause) {
        this(message, "", cause);
    }

    public CorruptCheckpointException(String message) {
        super(message);
        this.problem = message;
    }

    /** The message {@code problem + advice}: what is wrong with which file, then what is kept and what to do. */
    public CorruptCheckpointException(String problem, String advice, Throwable cause) {
        super(problem + advice, cause);
        this.problem = problem;
    }

    /** What is wrong with which file, without the advice: for a message that gives advice of its own. */
    public String problem() {
        return problem;
    }
}
