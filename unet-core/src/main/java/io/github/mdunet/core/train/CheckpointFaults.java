package io.github.mdunet.core.train;

import java.io.IOException;

/**
 * Called at each step of committing an epoch's checkpoint and of recovering one, so tests can stop (or slow) the
 * trainer exactly there. Production code uses {@link #NONE}.
 */
@FunctionalInterface
interface CheckpointFaults {

    /** Does nothing. */
    CheckpointFaults NONE = point -> {
    };

    /** The trainer has just done {@code point}, e.g. {@code "staged last.zip"} or {@code "committed state"}. */
    void reached(String point) throws IOException;
}
