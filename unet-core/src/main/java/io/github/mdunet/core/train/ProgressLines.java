package io.github.mdunet.core.train;

import java.io.PrintStream;
import java.util.Objects;
import me.tongfei.progressbar.ProgressBarConsumer;

/**
 * A progress bar for output that is not a terminal (a log file, a pipe, CI, an IDE's run window): each rendering on
 * a line of its own, a rendering equal to the last one printed left out, instead of one line redrawn in place with
 * carriage returns, which a log file keeps as one endless line. The bar renders it at its update interval and once
 * more when it closes.
 */
final class ProgressLines implements ProgressBarConsumer {

    /** How often a bar printed as lines renders itself: a line per half minute, and the last. */
    static final int INTERVAL_MILLIS = 30_000;

    private static final int LINE_LENGTH = 100;

    private final PrintStream out;
    private String last;

    ProgressLines(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public int getMaxRenderedLength() {
        return LINE_LENGTH;
    }

    @Override
    public synchronized void accept(String rendered) {
        String line = rendered.strip();
        if (!line.isEmpty() && !line.equals(last)) {
            out.println(line);
            last = line;
        }
    }

    @Override
    public void close() {
        out.flush();
    }
}
