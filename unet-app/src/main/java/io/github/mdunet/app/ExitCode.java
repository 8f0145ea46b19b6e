package io.github.mdunet.app;

import io.github.mdunet.core.files.DirectoryInUseException;
import io.github.mdunet.core.files.UnusableFileException;
import io.github.mdunet.core.nativememory.NativeOutOfMemoryError;
import io.github.mdunet.core.train.CheckpointConflictException;
import io.github.mdunet.core.train.CorruptCheckpointException;
import io.github.mdunet.core.train.TrainingDivergedException;
import io.github.mdunet.data.image.BadFileException;
import io.github.mdunet.data.validate.DatasetValidationException;
import java.io.FileNotFoundException;
import java.nio.file.NoSuchFileException;

/**
 * The exit status of every app, and which failures map to which. A user's mistake (an option, a file) ends with its
 * message only; an unexpected failure also prints its stack trace.
 */
public enum ExitCode {
    /** The app did what it was asked. */
    OK(0),
    /**
     * The run failed: training diverged, memory ran out, the output directory is in use by another run or holds
     * another run, or an unexpected error (printed with its stack trace).
     */
    FAILED(1),
    /**
     * An option is missing, malformed, out of range or contradicts another: checked before any data is read or
     * written; the message is followed by the usage.
     */
    BAD_OPTION(2),
    /**
     * An input is missing, unreadable or inconsistent: the data folder, an image or mask, a model file, a checkpoint
     * to resume, pretrained weights.
     */
    BAD_DATA(3),
    /** Tune: no candidate fits the memory budget. */
    NOTHING_FITS(4);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    /** The process exit status. */
    public int code() {
        return code;
    }

    /** The status for a failure: the first of its causes that is a known kind decides. */
    static ExitCode of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (isBadData(t)) {
                return BAD_DATA;
            }
            if (isExpectedFailure(t)) {
                return FAILED;
            }
        }
        return FAILED;
    }

    /** Whether {@code failure} is one a user can act on from its message alone, so no stack trace is printed. */
    static boolean isExplained(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (isBadData(t) || isExpectedFailure(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isBadData(Throwable t) {
        return t instanceof DatasetValidationException || t instanceof BadFileException
                || t instanceof BadInputException || t instanceof CorruptCheckpointException
                || t instanceof UnusableFileException
                || t instanceof NoSuchFileException || t instanceof FileNotFoundException;
    }

    private static boolean isExpectedFailure(Throwable t) {
        return t instanceof CheckpointConflictException || t instanceof DirectoryInUseException
                || t instanceof TrainingDivergedException || t instanceof NativeOutOfMemoryError;
    }
}
