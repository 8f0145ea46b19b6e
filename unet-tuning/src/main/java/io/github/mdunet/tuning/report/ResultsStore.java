package io.github.mdunet.tuning.report;

import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.files.AtomicFiles;
import io.github.mdunet.tuning.candidate.CandidateResult;
import io.github.mdunet.tuning.candidate.CandidateStatus;
import io.github.mdunet.tuning.candidate.CandidateValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The search's results as a CSV file, one row per finished candidate, appended and synced as each one finishes so
 * that an interrupted search can be resumed: {@link #load} reads the rows back and the search skips the candidates it
 * finds there. Columns: {@value #HEADER}.
 *
 * <p>Each row carries its search's {@code setup}: a key of what, besides the candidate's own values, decides its
 * score (base configuration, data, batch size, epochs, objective), so that a search on other data or settings does
 * not take another's scores for its own. A last row that a kill left half-written is dropped on loading (and the file
 * rewritten without it); files of the first version, without the setup column, are rewritten with it, their rows
 * marked as of an unknown setup. An append that fails part-way is cut off again at the last line break, so that the
 * next row never joins a fragment, and a row that does not have exactly the columns of its header is refused.
 */
public final class ResultsStore {

    public static final String HEADER = "index,midChannelScale,reduction,upsample,midAttention,estimatedBytes,"
            + "estimatedMiB,parameters,score,seconds,status,setup,message";
    /** The header of the first version's files, without the setup column. */
    static final String HEADER_WITHOUT_SETUP = "index,midChannelScale,reduction,upsample,midAttention,estimatedBytes,"
            + "estimatedMiB,parameters,score,seconds,status,message";
    /** The setup of rows from files of the first version: matches no search. */
    public static final String UNKNOWN_SETUP = "unknown";

    private static final Logger LOG = LoggerFactory.getLogger(ResultsStore.class);

    /** A row: the setup it was found under and its result. */
    public record Row(String setup, CandidateResult result) {
    }

    /** Bytes read at a time when looking for the last line break. */
    private static final int TAIL_CHUNK = 8192;

    /** Writes a row's bytes into the results file at the channel's position (tests make it fail part-way). */
    @FunctionalInterface
    interface RowWriter {
        /** Writes every remaining byte of {@code row}. */
        RowWriter WHOLE = (channel, row) -> {
            while (row.hasRemaining()) {
                channel.write(row);
            }
        };

        void write(FileChannel channel, ByteBuffer row) throws IOException;
    }

    private final Path file;
    private final RowWriter writer;
    private final List<Row> rows = new ArrayList<>();

    private ResultsStore(Path file, RowWriter writer) {
        this.file = file;
        this.writer = writer;
    }

    /**
     * Opens {@code file}, reading the rows it already has (none when it does not exist). A half-written last row (no
     * line end) is dropped and the file rewritten without it.
     *
     * @throws IllegalArgumentException naming the file and line when a complete row cannot be read, or the header is
     *                                  not a results header
     */
    public static ResultsStore load(Path file) {
        return load(file, RowWriter.WHOLE);
    }

    /** {@link #load(Path)} with the rows written by {@code writer}. */
    static ResultsStore load(Path file, RowWriter writer) {
        ResultsStore store = new ResultsStore(file, writer);
        if (!Files.exists(file)) {
            return store;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read search results " + file, e);
        }
        int complete = text.lastIndexOf('\n') + 1;
        boolean partial = complete < text.length();
        if (partial) {
            LOG.warn("{}: dropped its last line, which a killed search left half-written: '{}'", file,
                    text.substring(complete));
        }
        List<String> lines = text.substring(0, complete).lines().toList();
        boolean withSetup = true;
        if (!lines.isEmpty()) {
            String header = lines.get(0);
            withSetup = header.equals(HEADER);
            if (!withSetup && !header.equals(HEADER_WITHOUT_SETUP)) {
                throw new IllegalArgumentException(file + " starts with '" + header + "', not the header of search"
                        + " results (" + HEADER + "): it is another file; give the search another output directory");
            }
        }
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                store.rows.add(parse(lines.get(i), file, i + 1, withSetup));
            }
        }
        if (partial || !withSetup) {
            store.rewrite();
        }
        return store;
    }

    public Path file() {
        return file;
    }

    /** The latest row of {@code setup} with the values of {@code values}, if any. */
    public synchronized Optional<CandidateResult> find(String setup, CandidateValues values) {
        return latest(setup, values, null);
    }

    /** The latest {@link CandidateStatus#COMPLETE} row of {@code setup} with the values of {@code values}, if any. */
    public synchronized Optional<CandidateResult> findComplete(String setup, CandidateValues values) {
        return latest(setup, values, CandidateStatus.COMPLETE);
    }

    private Optional<CandidateResult> latest(String setup, CandidateValues values, CandidateStatus status) {
        for (int i = rows.size() - 1; i >= 0; i--) {
            Row row = rows.get(i);
            if (row.setup.equals(setup) && row.result.values().key().equals(values.key())
                    && (status == null || row.result.status() == status)) {
                return Optional.of(row.result);
            }
        }
        return Optional.empty();
    }

    /** The latest row per candidate values of {@code setup}, in the order they were first recorded. */
    public synchronized List<CandidateResult> of(String setup) {
        Map<String, CandidateResult> latest = new LinkedHashMap<>();
        for (Row row : rows) {
            if (row.setup.equals(setup)) {
                latest.put(row.result.values().key(), row.result);
            }
        }
        return new ArrayList<>(latest.values());
    }

    /** Every row, of every setup, in the order they were recorded. */
    public synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    /** Every row's result, of every setup, in the order they were recorded. */
    public synchronized List<CandidateResult> all() {
        return rows.stream().map(Row::result).toList();
    }

    /**
     * Appends {@code result} of {@code setup} to the file (creating it with its header) and syncs it. The row goes
     * after the file's last line break: bytes after it, which only a failed write leaves, are cut off first.
     *
     * @throws UncheckedIOException when the row cannot be written; the file is then cut back to where the row began
     *                              (as it was), so the next row does not join a fragment of this one, and the row is
     *                              not among {@link #rows()}
     */
    public synchronized void append(String setup, CandidateResult result) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            if (!Files.exists(file)) {
                AtomicFiles.durable().writeString(file, HEADER + "\n");
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long end = afterLastLineBreak(channel);
                if (end < channel.size()) {
                    LOG.warn("{}: cut off {} bytes after its last line break, left by a write that failed", file,
                            channel.size() - end);
                    channel.truncate(end);
                }
                String text = (end == 0 ? HEADER + "\n" : "") + format(setup, result) + "\n";
                try {
                    channel.position(end);
                    writer.write(channel, StandardCharsets.UTF_8.encode(text));
                    channel.force(true);
                } catch (IOException e) {
                    try {
                        channel.truncate(end);
                        channel.force(true);
                    } catch (IOException cut) {
                        e.addSuppressed(cut);
                    }
                    throw e;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append the row of candidate #" + result.index() + " to search"
                    + " results " + file + ": " + e.getMessage(), e);
        }
        rows.add(new Row(setup, result));
    }

    /** The position just after the file's last line break; 0 when it has none. */
    private static long afterLastLineBreak(FileChannel channel) throws IOException {
        long end = channel.size();
        ByteBuffer chunk = ByteBuffer.allocate(TAIL_CHUNK);
        while (end > 0) {
            long start = Math.max(0, end - TAIL_CHUNK);
            chunk.clear().limit((int) (end - start));
            boolean more = true;
            while (chunk.hasRemaining() && more) {
                more = channel.read(chunk, start + chunk.position()) >= 0;
            }
            for (int i = chunk.position() - 1; i >= 0; i--) {
                if (chunk.get(i) == '\n') {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return 0;
    }

    private void rewrite() {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (Row row : rows) {
            text.append(format(row.setup, row.result)).append('\n');
        }
        try {
            AtomicFiles.durable().writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite search results " + file, e);
        }
    }

    /**
     * A row. The mid scale is written whole ({@link Double#toString}): rounded to fewer decimals it could round to
     * another {@link CandidateValues#key} when read back (1.541549682 keys as 1.5415, written as 1.541550 it would key
     * as 1.5416), and a resumed search would not find the candidate.
     */
    static String format(String setup, CandidateResult r) {
        CandidateValues v = r.values();
        return String.format(Locale.ROOT, "%d,%s,%s,%s,%b,%d,%.1f,%d,%s,%.3f,%s,%s,%s", r.index(),
                Double.toString(v.midChannelScale()), v.reduction(), v.upsample().name(), v.midAttention(),
                r.estimatedBytes(), r.estimatedBytes() / 1048576.0, r.parameters(),
                Double.isNaN(r.score()) ? "" : Double.toString(r.score()), r.seconds(), r.status(), setup,
                quote(r.message()));
    }

    private static String quote(String text) {
        String flat = text.replace('\n', ' ').replace('\r', ' ');
        return "\"" + flat.replace("\"", "\"\"") + "\"";
    }

    static Row parse(String line, Path file, int lineNumber, boolean withSetup) {
        int messageStart = line.indexOf(",\"");
        String head = messageStart < 0 ? line : line.substring(0, messageStart);
        String message = messageStart < 0 ? ""
                : line.substring(messageStart + 2, line.length() - 1).replace("\"\"", "\"");
        String[] f = head.split(",", -1);
        int fields = withSetup ? 12 : 11;
        if (f.length != fields || messageStart < 0 || !line.endsWith("\"")) {
            throw new IllegalArgumentException(file + " line " + lineNumber + " is not a search result row: it has "
                    + f.length + " fields before the quoted message, expected " + fields + " ("
                    + (withSetup ? HEADER : HEADER_WITHOUT_SETUP) + "), e.g. a row joined to a fragment of one whose"
                    + " write failed: " + line + "; delete the line (its candidate is then tried again)");
        }
        try {
            CandidateValues values = new CandidateValues(Double.parseDouble(f[1]), ChannelReduction.valueOf(f[2]),
                    UpsampleMode.parse(f[3]), Boolean.parseBoolean(f[4]));
            CandidateResult result = new CandidateResult(Integer.parseInt(f[0]), values, Long.parseLong(f[5]),
                    Long.parseLong(f[7]), f[8].isEmpty() ? Double.NaN : Double.parseDouble(f[8]),
                    Double.parseDouble(f[9]), CandidateStatus.valueOf(f[10]), message);
            return new Row(withSetup ? f[11] : UNKNOWN_SETUP, result);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " line " + lineNumber + " is not a search result row ("
                    + e.getMessage() + "): " + line, e);
        }
    }
}
