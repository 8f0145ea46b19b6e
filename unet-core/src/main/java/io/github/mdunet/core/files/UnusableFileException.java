package io.github.mdunet.core.files;

import java.io.IOException;

/**
 * A file that is there but cannot be used as asked: not the format it should be, cut short, failing a checksum, or
 * the weights of another network. The message names the file, what is wrong with it and the fix; an app reports it
 * as bad input, without a stack trace.
 */
public class UnusableFileException extends IOException {

    public UnusableFileException(String message) {
        super(message);
    }

    public UnusableFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
