package io.github.mdunet.data.image;

import java.nio.file.Path;

/**
 * A file that cannot be used as it is: unreadable, corrupt, of an unsupported kind, or with content outside what
 * the dataset declares. The message names the file, what was expected and what was found.
 */
public class BadFileException extends RuntimeException {

    private final Path file;
    private final String problem;

    public BadFileException(Path file, String problem) {
        this(file, problem, null);
    }

    public BadFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }

    /** What is wrong with it, without the file name. */
    public String problem() {
        return problem;
    }
}
