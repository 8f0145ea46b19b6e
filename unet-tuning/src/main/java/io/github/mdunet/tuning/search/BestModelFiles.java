package io.github.mdunet.tuning.search;

import io.github.mdunet.core.files.AtomicFiles;
import io.github.mdunet.core.model.TrainingRecord;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.tuning.candidate.CandidateResult;
import io.github.mdunet.tuning.candidate.CandidateStatus;
import io.github.mdunet.tuning.candidate.CandidateValues;
import io.github.mdunet.tuning.report.ResultsStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The search's best model ({@code best-model.zip}) and its summary ({@code best-candidate.txt}), kept consistent with
 * the results: a new best is first staged beside them, its row recorded, and only then renamed into place. A kill
 * before the row leaves a staged model that {@link #recover} deletes (the candidate is trained again); a kill after it
 * leaves one that {@link #recover} installs, unless a later best was installed since. A staging that fails leaves
 * nothing staged. The summary names the candidate by its setup and values, which {@link #holds} compares with the
 * best row.
 */
final class BestModelFiles {

    static final String MODEL = "best-model.zip";
    static final String SUMMARY = "best-candidate.txt";

    private static final Logger LOG = LoggerFactory.getLogger(BestModelFiles.class);
    /** A staged file is named {@code .<final name>.<candidate key>.staged} ({@link #staged}). */
    private static final String STAGED_PREFIX = ".";
    private static final String STAGED_KEY = ".";
    private static final String STAGED_SUFFIX = ".staged";
    private static final Pattern STAGED = Pattern.compile(Pattern.quote(STAGED_PREFIX) + "(" + Pattern.quote(MODEL)
            + "|" + Pattern.quote(SUMMARY) + ")" + Pattern.quote(STAGED_KEY) + "([0-9a-f]+)"
            + Pattern.quote(STAGED_SUFFIX));
    private static final String KEY_LINE = "candidate key ";

    private final Path directory;
    private final AtomicFiles files;
    private final TrainingRecord trainingRecord;

    /** @param trainingRecord recorded in each staged model ({@link UNet#withTrainingRecord}) */
    BestModelFiles(Path directory, AtomicFiles files, TrainingRecord trainingRecord) {
        this.directory = directory;
        this.files = files;
        this.trainingRecord = trainingRecord;
    }

    Path model() {
        return directory.resolve(MODEL);
    }

    /** {@code unet} recording how the candidates saw their training images. */
    private UNet recorded(UNet unet) {
        return unet.withTrainingRecord(trainingRecord);
    }

    /** A key of a row: its setup and its values. */
    static String keyOf(String setup, CandidateValues values) {
        return SearchSetup.digest(setup + "|" + values.key());
    }

    /** Where {@code name} ({@link #MODEL} or {@link #SUMMARY}) of the candidate of {@code key} is staged. */
    Path staged(String name, String key) {
        return directory.resolve(STAGED_PREFIX + name + STAGED_KEY + key + STAGED_SUFFIX);
    }

    /**
     * Writes {@code unet} and its summary beside the best model's files, under names no reader uses. When either write
     * fails, neither file is left staged: a model without its summary must not be installed later.
     */
    void stage(UNet unet, String setup, CandidateResult result, String summary) throws IOException {
        String key = keyOf(setup, result.values());
        try {
            recorded(unet).save(staged(MODEL, key));
            files.writeString(staged(SUMMARY, key), KEY_LINE + key + "\n" + summary);
        } catch (IOException | RuntimeException e) {
            // The summary first: if deleting the model then fails, a staged model without a summary is never installed.
            for (String name : List.of(SUMMARY, MODEL)) {
                try {
                    Files.deleteIfExists(staged(name, key));
                } catch (IOException deleteFailure) {
                    e.addSuppressed(deleteFailure);
                }
            }
            throw e;
        }
    }

    /**
     * Deletes the staged files of {@code result}, whose row could not be recorded; a failure to is only logged, since
     * {@link #recover} deletes them on the next run.
     */
    void discard(String setup, CandidateResult result) {
        String key = keyOf(setup, result.values());
        for (String name : List.of(MODEL, SUMMARY)) {
            try {
                Files.deleteIfExists(staged(name, key));
            } catch (IOException e) {
                LOG.warn("could not delete {}; the next run on {} does", staged(name, key), directory, e);
            }
        }
    }

    /** Renames the staged files of {@code result} into place, the model first. */
    void install(String setup, CandidateResult result) throws IOException {
        install(keyOf(setup, result.values()));
    }

    private void install(String key) throws IOException {
        for (String name : List.of(MODEL, SUMMARY)) {
            Path staged = staged(name, key);
            if (Files.exists(staged)) {
                files.move(staged, directory.resolve(name));
            }
        }
    }

    /**
     * Repairs what a killed or failed save left staged. Bests are installed in the order their rows are recorded, so
     * the staged files of one candidate are installed only when its row is {@link CandidateStatus#COMPLETE} and newer
     * than the row of the candidate {@code best-candidate.txt} names (a later best was not installed since), and only
     * when they are whole: the model with its summary (a kill came between the row and the renames), or the summary
     * alone (a kill came between the two renames, the model already in place). Of several such candidates the one of
     * the newest row is installed. Every other staged file is deleted: of a candidate without a complete row (a kill
     * came before the row), of one superseded by a later best, and a model without its summary.
     */
    void recover(ResultsStore store) throws IOException {
        Map<String, Integer> completeRow = new HashMap<>();
        List<ResultsStore.Row> rows = store.rows();
        for (int i = 0; i < rows.size(); i++) {
            ResultsStore.Row row = rows.get(i);
            if (row.result().status() == CandidateStatus.COMPLETE) {
                completeRow.put(keyOf(row.setup(), row.result().values()), i);
            }
        }
        Map<String, Set<String>> stagedNames = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, STAGED_PREFIX + "*" + STAGED_SUFFIX)) {
            for (Path entry : entries) {
                Matcher matcher = STAGED.matcher(entry.getFileName().toString());
                if (matcher.matches()) {
                    stagedNames.computeIfAbsent(matcher.group(2), key -> new TreeSet<>()).add(matcher.group(1));
                }
            }
        }
        int installedRow = installedKey().map(key -> completeRow.getOrDefault(key, -1)).orElse(-1);
        Optional<String> newest = stagedNames.entrySet().stream()
                .filter(staged -> staged.getValue().contains(SUMMARY)
                        && completeRow.getOrDefault(staged.getKey(), -1) > installedRow)
                .map(Map.Entry::getKey)
                .max(Comparator.comparingInt(completeRow::get));
        for (Map.Entry<String, Set<String>> staged : stagedNames.entrySet()) {
            String key = staged.getKey();
            if (newest.isPresent() && newest.get().equals(key)) {
                install(key);
                LOG.info("Installed the staged best model {} of a search stopped after recording its row", key);
                continue;
            }
            String why = !completeRow.containsKey(key) ? "its candidate's row was never recorded"
                    : !staged.getValue().contains(SUMMARY) ? "its summary was never written"
                    : "a later best model replaced it";
            for (String name : staged.getValue()) {
                Files.deleteIfExists(staged(name, key));
                LOG.info("Removed {}: {}", staged(name, key).getFileName(), why);
            }
        }
    }

    /** The key {@code best-candidate.txt} names, if there is one. */
    private Optional<String> installedKey() throws IOException {
        Path summary = directory.resolve(SUMMARY);
        if (!Files.exists(summary)) {
            return Optional.empty();
        }
        return Files.readAllLines(summary, StandardCharsets.UTF_8).stream().findFirst()
                .filter(line -> line.startsWith(KEY_LINE)).map(line -> line.substring(KEY_LINE.length()));
    }

    /** Whether {@code best-model.zip} is the model of {@code best} of {@code setup} (as its summary says). */
    boolean holds(String setup, CandidateResult best) throws IOException {
        Path summary = directory.resolve(SUMMARY);
        if (!Files.exists(model()) || !Files.exists(summary)) {
            return false;
        }
        Optional<String> first = Files.readAllLines(summary, StandardCharsets.UTF_8).stream().findFirst();
        return first.isPresent() && first.get().equals(KEY_LINE + keyOf(setup, best.values()));
    }

    /**
     * Which candidate {@code best-model.zip} is the model of, as its summary names it ({@code "candidate #3
     * (midChannelScale=..., ...)"}, numbered in the run that saved it); empty when there is no model or no summary.
     */
    Optional<String> heldCandidate() throws IOException {
        Path summary = directory.resolve(SUMMARY);
        if (!Files.exists(model()) || !Files.exists(summary)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(summary, StandardCharsets.UTF_8);
        return lines.size() < 3 ? Optional.of("an unnamed candidate")
                : Optional.of(lines.get(1) + " (" + lines.get(2) + ")");
    }
}
