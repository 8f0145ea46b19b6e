package io.github.mdunet.app.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.Properties;

/**
 * Keeps library noise off an app's console unless {@code --verbose} is among its arguments: SameDiff prints
 * {@value #SAMEDIFF_NOISE}... once per op of every custom layer to standard output (with {@code System.out}, not a
 * logger), and the logging levels of {@code simplelogger.properties} keep libraries to warnings and this project's
 * start-up lines to what a user acts on. With {@code --verbose} nothing is filtered and every logger in that file
 * logs at INFO.
 *
 * <p>Call {@link #configure} first thing in {@code main}, before anything logs: SLF4J's simple binding reads its
 * levels once, when the first logger is made, which is why the arguments are scanned here rather than parsed later.
 */
public final class QuietConsole {

    /** What SameDiff prints for every op it differentiates. */
    static final String SAMEDIFF_NOISE = "Added differentiated op ";
    static final String VERBOSE = "--verbose";
    private static final String LOG_PREFIX = "org.slf4j.simpleLogger.";
    private static final String LEVELS = "/simplelogger.properties";

    private QuietConsole() {
    }

    /**
     * Filters standard output, or with {@code --verbose} in {@code args} (before a {@code --}) sets every logger
     * of {@code simplelogger.properties} to INFO instead.
     *
     * @return whether the console is verbose
     */
    public static boolean configure(String[] args) {
        if (isVerbose(args)) {
            verboseLogging();
            return true;
        }
        System.setOut(filtered(System.out));
        return false;
    }

    /** Whether {@code args} ask for {@code --verbose} (options end at {@code --}). */
    static boolean isVerbose(String[] args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return false;
            }
            if (arg.equals(VERBOSE)) {
                return true;
            }
        }
        return false;
    }

    /** {@code out} without SameDiff's lines. */
    static PrintStream filtered(PrintStream out) {
        String encoding = System.getProperty("sun.stdout.encoding"); // System.out's own charset on a terminal
        Charset charset = encoding != null && Charset.isSupported(encoding) ? Charset.forName(encoding)
                : Charset.defaultCharset();
        return new PrintStream(new LineFilterOutputStream(out, SAMEDIFF_NOISE), true, charset);
    }

    /** INFO for the default level and for every logger named in the levels file, unless set with {@code -D}. */
    private static void verboseLogging() {
        Properties levels = new Properties();
        try (InputStream in = QuietConsole.class.getResourceAsStream(LEVELS)) {
            if (in != null) {
                levels.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LEVELS + " from the class path", e);
        }
        levels.setProperty(LOG_PREFIX + "defaultLogLevel", "info");
        for (String key : levels.stringPropertyNames()) {
            if ((key.startsWith(LOG_PREFIX + "log.") || key.equals(LOG_PREFIX + "defaultLogLevel"))
                    && System.getProperty(key) == null) {
                System.setProperty(key, "info");
            }
        }
    }
}
