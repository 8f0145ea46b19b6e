package io.github.mdunet.core.files;

import java.io.IOException;
import java.nio.file.Path;

/** Another run holds the lock of a directory this run wanted to write to. The message names both and the fix. */
public class DirectoryInUseException extends IOException {

    private final Path directory;

    public DirectoryInUseException(Path directory, String message) {
        super(message);
        this.directory = directory;
    }

    /** The directory in use. */
    public Path directory() {
        return directory;
    }
}
