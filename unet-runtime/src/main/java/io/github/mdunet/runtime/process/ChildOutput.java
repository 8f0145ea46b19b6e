package io.github.mdunet.runtime.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What a child JVM printed (standard error merged into standard output): the line that carries its result, and the
 * rest of its output for the message when it fails.
 *
 * @param result the last line that starts with the result's prefix, if any
 * @param log    the other lines: the first {@value #LOG_LIMIT} characters of them, or all of them from
 *               {@link #readAll}
 */
public record ChildOutput(Optional<String> result, String log) {

    /** How much of the other lines is kept: a failure's stack trace, not a long run's progress. */
    public static final int LOG_LIMIT = 20_000;

    /** Reads {@code process}'s output to its end; the line that starts with {@code resultPrefix} is the result. */
    public static ChildOutput read(Process process, String resultPrefix) throws IOException {
        return read(process, resultPrefix, line -> { });
    }

    /**
     * As {@link #read(Process, String)}, and hands each line that is not the result to {@code logLine} as it comes,
     * for a caller that shows the child's progress while it runs.
     */
    public static ChildOutput read(Process process, String resultPrefix, Consumer<String> logLine) throws IOException {
        return read(process, line -> line.startsWith(resultPrefix), logLine, LOG_LIMIT);
    }

    /** Reads {@code process}'s output to its end and keeps all of it as the log: no result line, no limit. */
    public static ChildOutput readAll(Process process) throws IOException {
        return read(process, line -> false, line -> { }, Integer.MAX_VALUE);
    }

    /**
     * Reads {@code process}'s output to its end: the last line that {@code isResult} is the result, each other line
     * goes to {@code logLine} and, up to {@code logLimit} characters, to the log.
     */
    static ChildOutput read(Process process, Predicate<String> isResult, Consumer<String> logLine, int logLimit)
            throws IOException {
        String result = null;
        StringBuilder log = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (isResult.test(line)) {
                    result = line;
                    continue;
                }
                logLine.accept(line);
                if (log.length() < logLimit) {
                    log.append(line).append('\n');
                }
            }
        }
        return new ChildOutput(Optional.ofNullable(result), log.toString());
    }
}
