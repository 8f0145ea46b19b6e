package io.github.mdunet.examples.dashboard;

/** The training UI could not start: the message names the port and the fix. */
public class DashboardException extends RuntimeException {

    public DashboardException(String message, Throwable cause) {
        super(message, cause);
    }

    public DashboardException(String message) {
        super(message);
    }
}
