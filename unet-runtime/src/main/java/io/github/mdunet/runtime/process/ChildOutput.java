package io.github.mdunet.runtime.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What a child JVM printed (standard error merged into standard output): the line that carries its result, and the
 * rest of its output for the message when it fails.
 *
 * @param result the last line that starts with the result's prefix, if any
 * @param log    the other lines, or all of them from {@link #readAll}. Past {@value #LOG_LIMIT} characters, the
 *               first lines (up to a tenth of the limit: how the child started) and the last ones (the rest of it:
 *               the stack trace of a failure after a long run's progress), with a line {@code ... N characters left
 *               out ...} between them
 */
public record ChildOutput(Optional<String> result, String log) {

    /**
     * How much of the other lines is kept: a failure's stack trace and how the child started, not a long run's
     * progress.
     */
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
     * goes to {@code logLine} and to the log, of which at most {@code logLimit} characters are kept ({@link #log}).
     */
    static ChildOutput read(Process process, Predicate<String> isResult, Consumer<String> logLine, int logLimit)
            throws IOException {
        String result = null;
        HeadAndTail log = new HeadAndTail(logLimit);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (isResult.test(line)) {
                    result = line;
                    continue;
                }
                logLine.accept(line);
                log.add(line);
            }
        }
        return new ChildOutput(Optional.ofNullable(result), log.toString());
    }

    /**
     * A log of at most {@code limit} characters: whole first lines up to a tenth of it, then the last lines in what
     * the first ones left; a last line longer than that keeps its end. The lines between are counted, not kept.
     */
    private static final class HeadAndTail {

        private final int limit;
        private final StringBuilder head = new StringBuilder();
        private boolean headClosed;
        private final ArrayDeque<String> tail = new ArrayDeque<>();
        private long tailLength;
        private long leftOut;

        HeadAndTail(int limit) {
            this.limit = limit;
        }

        void add(String line) {
            String entry = line + '\n';
            if (!headClosed && head.length() + entry.length() <= limit / 10) {
                head.append(entry);
                return;
            }
            headClosed = true;
            int tailLimit = limit - head.length();
            if (entry.length() > tailLimit) {
                leftOut += tailLength + entry.length() - tailLimit;
                tail.clear();
                tailLength = tailLimit;
                tail.add(entry.substring(entry.length() - tailLimit));
                return;
            }
            tail.addLast(entry);
            tailLength += entry.length();
            while (tailLength > tailLimit) {
                String dropped = tail.removeFirst();
                tailLength -= dropped.length();
                leftOut += dropped.length();
            }
        }

        @Override
        public String toString() {
            StringBuilder log = new StringBuilder(head);
            if (leftOut > 0) {
                log.append("... ").append(leftOut).append(" characters left out ...\n");
            }
            tail.forEach(log::append);
            return log.toString();
        }
    }
}
