package io.github.mdunet.app.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Passes text through to another stream line by line, dropping the lines that start with a given prefix. A partial
 * line is held until its newline, or passed on at a flush once it can no longer become a dropped line, so prompts
 * and progress written without a newline still appear.
 */
final class LineFilterOutputStream extends OutputStream {

    private final OutputStream target;
    private final byte[] droppedPrefix;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    /** The held bytes were already passed on at a flush: the rest of this line goes straight through. */
    private boolean passing;

    LineFilterOutputStream(OutputStream target, String droppedPrefix) {
        this.target = target;
        this.droppedPrefix = droppedPrefix.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void write(int b) throws IOException {
        if (passing) {
            target.write(b);
        } else {
            line.write(b);
        }
        if (b == '\n') {
            endLine();
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    private void endLine() throws IOException {
        if (!passing && !startsWithPrefix()) {
            line.writeTo(target);
        }
        line.reset();
        passing = false;
    }

    private boolean startsWithPrefix() {
        byte[] held = line.toByteArray();
        return held.length >= droppedPrefix.length
                && Arrays.equals(held, 0, droppedPrefix.length, droppedPrefix, 0, droppedPrefix.length);
    }

    /** Whether the held bytes could still grow into a line that starts with the prefix. */
    private boolean mayBecomeDropped() {
        byte[] held = line.toByteArray();
        int compared = Math.min(held.length, droppedPrefix.length);
        return Arrays.equals(held, 0, compared, droppedPrefix, 0, compared);
    }

    @Override
    public void flush() throws IOException {
        if (!passing && line.size() > 0 && !mayBecomeDropped()) {
            line.writeTo(target);
            line.reset();
            passing = true;
        }
        target.flush();
    }

    @Override
    public void close() throws IOException {
        flush();
        if (line.size() > 0 && !startsWithPrefix()) {
            line.writeTo(target);
        }
        line.reset();
        target.close();
    }
}
