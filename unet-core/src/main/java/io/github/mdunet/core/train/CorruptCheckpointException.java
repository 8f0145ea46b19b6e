package io.github.mdunet.core.train;

import java.io.IOException;

/**
 * A checkpoint directory whose training state cannot be read, or whose models are not the ones its state committed.
 * The message names the file, says what is wrong and which models are kept; nothing in the directory is deleted.
 */
public class CorruptCheckpointException extends IOException {

    public CorruptCheckpointException(String message, Throwable cause) {
        super(message, cause);
    }

    public CorruptCheckpointException(String message) {
        super(message);
    }
}
