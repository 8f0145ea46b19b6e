package io.github.mdunet.tuning.report;

import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.tuning.search.CandidateResult;
import io.github.mdunet.tuning.search.CandidateStatus;
import io.github.mdunet.tuning.search.CandidateValues;
import io.github.mdunet.tuning.search.UpsampleNames;
import java.io.IOException;
import java.io.UncheckedIOException;
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

/**
 * The search's results as a CSV file, one row per finished candidate, appended and flushed as each one finishes so
 * that an interrupted search can be resumed: {@link #load} reads the rows back and the search skips the candidates
 * it finds there. Columns: {@value #HEADER}.
 */
public final class ResultsStore {

    public static final String HEADER = "index,midChannelScale,reduction,upsample,midAttention,estimatedBytes,"
            + "estimatedMiB,parameters,score,seconds,status,message";

    private final Path file;
    private final Map<String, CandidateResult> byKey = new LinkedHashMap<>();

    private ResultsStore(Path file) {
        this.file = file;
    }

    /** Opens {@code file}, reading the rows it already has (none when it does not exist). */
    public static ResultsStore load(Path file) {
        ResultsStore store = new ResultsStore(file);
        if (Files.exists(file)) {
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 1; i < lines.size(); i++) {
                    if (!lines.get(i).isBlank()) {
                        CandidateResult row = parse(lines.get(i), file, i + 1);
                        store.byKey.put(row.values().key(), row);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read search results " + file, e);
            }
        }
        return store;
    }

    public Path file() {
        return file;
    }

    /** The finished result with the same values as {@code values}, if the file has one. */
    public synchronized Optional<CandidateResult> find(CandidateValues values) {
        return Optional.ofNullable(byKey.get(values.key()));
    }

    /** Every row, in the order they finished. */
    public synchronized List<CandidateResult> all() {
        return new ArrayList<>(byKey.values());
    }

    /** Appends {@code result} to the file (creating it with its header) and flushes. */
    public synchronized void append(CandidateResult result) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            if (!Files.exists(file)) {
                Files.writeString(file, HEADER + "\n", StandardCharsets.UTF_8);
            }
            Files.writeString(file, format(result) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to search results " + file, e);
        }
        byKey.put(result.values().key(), result);
    }

    static String format(CandidateResult r) {
        CandidateValues v = r.values();
        return String.format(Locale.ROOT, "%d,%.6f,%s,%s,%b,%d,%.1f,%d,%s,%.3f,%s,%s", r.index(), v.midChannelScale(),
                v.reduction(), UpsampleNames.nameOf(v.upsample()), v.midAttention(), r.estimatedBytes(),
                r.estimatedBytes() / 1048576.0, r.parameters(), Double.isNaN(r.score()) ? "" : Double.toString(r.score()),
                r.seconds(), r.status(), quote(r.message()));
    }

    private static String quote(String text) {
        String flat = text.replace('\n', ' ').replace('\r', ' ');
        return "\"" + flat.replace("\"", "\"\"") + "\"";
    }

    static CandidateResult parse(String line, Path file, int lineNumber) {
        int messageStart = line.indexOf(",\"");
        String head = messageStart < 0 ? line : line.substring(0, messageStart);
        String message = messageStart < 0 ? "" : line.substring(messageStart + 2, line.length() - 1).replace("\"\"", "\"");
        String[] f = head.split(",", -1);
        if (f.length < 11) {
            throw new IllegalArgumentException(file + " line " + lineNumber + " has " + f.length
                    + " fields, expected 12 (" + HEADER + "): " + line);
        }
        try {
            CandidateValues values = new CandidateValues(Double.parseDouble(f[1]), ChannelReduction.valueOf(f[2]),
                    UpsampleNames.parse(f[3]), Boolean.parseBoolean(f[4]));
            return new CandidateResult(Integer.parseInt(f[0]), values, Long.parseLong(f[5]), Long.parseLong(f[7]),
                    f[8].isEmpty() ? Double.NaN : Double.parseDouble(f[8]), Double.parseDouble(f[9]),
                    CandidateStatus.valueOf(f[10]), message);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " line " + lineNumber + " is not a search result row ("
                    + e.getMessage() + "): " + line, e);
        }
    }
}
