package io.github.mdunet.core.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether standard error, where the progress bar goes, is a terminal. Java 17 can only say whether standard input and
 * output are ({@code System.console()}); on Linux the device behind file descriptor 2 says it for standard error, so
 * {@code train ... 2> log} gets lines while the terminal keeps its redrawn bar. Elsewhere the console decides.
 */
final class StandardErrorTerminal {

    private static final Path STANDARD_ERROR = Path.of("/proc/self/fd/2");

    private StandardErrorTerminal() {
    }

    static boolean isTerminal() {
        try {
            return isTerminalDevice(Files.readSymbolicLink(STANDARD_ERROR).toString());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /** Whether a file descriptor's target (as {@code /proc/self/fd} links it) is a terminal device. */
    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }
}
