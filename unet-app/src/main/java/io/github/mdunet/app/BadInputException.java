package io.github.mdunet.app;

/**
 * An input the user gave that cannot be used (a model file that does not load, an input path without images, two
 * inputs whose outputs would collide): ends the app with {@link ExitCode#BAD_DATA} and this message, naming the file
 * and the fix.
 */
public class BadInputException extends RuntimeException {

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
