package io.github.mdunet.core.train;

import io.github.mdunet.core.files.AtomicFiles;
import io.github.mdunet.core.files.DirectoryInUseException;
import io.github.mdunet.core.files.DirectoryLock;
import io.github.mdunet.core.model.UNet;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of one run's checkpoint directory, held by one run at a time ({@value #LOCK_FILE}), and each epoch's
 * checkpoint written as one unit: the models of epoch {@code n} are first staged under names no reader uses
 * ({@code .last.zip.epoch-n.staged}), then {@code training-state.json} of epoch {@code n} is written atomically (the
 * commit), then the staged files are renamed to {@code last.zip}, {@code best.zip} and {@code epoch-n.zip}. A kill
 * before the commit leaves the previous epoch's state and files; a kill after it leaves staged files that
 * {@link #recover()} renames into place. Either way {@code last.zip}, {@code best.zip} and the state agree, which the
 * state's fingerprints of both files let {@link #recover()} check.
 */
final class CheckpointDirectory implements AutoCloseable {

    static final String LAST = "last.zip";
    static final String BEST = "best.zip";
    static final String LOCK_FILE = "training.lock";

    private static final String PERIODIC_PREFIX = "epoch-";
    private static final String PERIODIC_SUFFIX = ".zip";
    /** The models a run writes: {@value #LAST}, {@value #BEST} and the periodic ones ({@link #periodicName}). */
    static final Pattern MODEL_FILES = Pattern.compile(Pattern.quote(LAST) + "|" + Pattern.quote(BEST) + "|"
            + Pattern.quote(PERIODIC_PREFIX) + "\\d+" + Pattern.quote(PERIODIC_SUFFIX));

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointDirectory.class);
    /** A staged file is named {@code .<final name>.epoch-<n>.staged} ({@link #stagedPath}). */
    private static final String STAGED_PREFIX = ".";
    private static final String STAGED_EPOCH = ".epoch-";
    private static final String STAGED_SUFFIX = ".staged";
    private static final Pattern STAGED = Pattern.compile(Pattern.quote(STAGED_PREFIX) + "(.+)"
            + Pattern.quote(STAGED_EPOCH) + "(\\d+)" + Pattern.quote(STAGED_SUFFIX));

    private final Path directory;
    private final DirectoryLock lock;
    private final AtomicFiles files;
    private final CheckpointFaults faults;

    private CheckpointDirectory(Path directory, DirectoryLock lock, AtomicFiles files, CheckpointFaults faults) {
        this.directory = directory;
        this.lock = lock;
        this.files = files;
        this.faults = faults;
    }

    /**
     * Creates and locks {@code directory}.
     *
     * @throws DirectoryInUseException when another run holds it
     */
    static CheckpointDirectory open(Path directory, AtomicFiles files, CheckpointFaults faults) throws IOException {
        Files.createDirectories(directory);
        return new CheckpointDirectory(directory, DirectoryLock.acquire(directory, LOCK_FILE, "training run"), files,
                faults);
    }

    Path directory() {
        return directory;
    }

    /** The periodic checkpoint of {@code epoch}. */
    static String periodicName(int epoch) {
        return PERIODIC_PREFIX + epoch + PERIODIC_SUFFIX;
    }

    /**
     * Brings the directory to its last committed epoch: removes what killed writes left ({@code .*.partial}) and the
     * staged files of an epoch that was not committed, renames the staged files of the committed one into place, and
     * checks that {@code last.zip} and {@code best.zip} are the files the state committed.
     *
     * @return the committed state, or empty for a directory without one
     * @throws CorruptCheckpointException when the state cannot be read or a model is not the committed one
     */
    Optional<TrainingState> recover() throws IOException {
        for (Path partial : AtomicFiles.deletePartials(directory)) {
            LOG.info("Removed {}, left by a save that did not finish", partial);
        }
        Optional<TrainingState> state = TrainingState.existsIn(directory)
                ? Optional.of(TrainingState.readFrom(directory)) : Optional.empty();
        int committed = state.map(TrainingState::completedEpochs).orElse(-1);
        for (Staged staged : staged()) {
            if (staged.epoch == committed) {
                files.move(staged.path, directory.resolve(staged.finalName));
                faults.reached("recovered " + staged.finalName);
                LOG.info("Completed the checkpoint of epoch {}: {}", committed, staged.finalName);
            } else {
                Files.delete(staged.path);
                LOG.info("Removed {}: epoch {} was not committed", staged.path.getFileName(), staged.epoch);
            }
        }
        if (state.isPresent()) {
            verify(state.get());
        }
        return state;
    }

    private void verify(TrainingState state) throws IOException {
        if (state.files().isEmpty()) {
            LOG.warn("{} was written by an earlier version: resuming without checking that {} and {} are the models"
                    + " of its epoch {}", directory.resolve(TrainingState.FILE_NAME), LAST, BEST,
                    state.completedEpochs());
            return;
        }
        for (Map.Entry<String, FileFingerprint> expected : state.files().entrySet()) {
            Path file = directory.resolve(expected.getKey());
            if (!Files.isRegularFile(file)) {
                throw new CorruptCheckpointException(file + " is missing, but " + TrainingState.FILE_NAME
                        + " committed it with epoch " + state.completedEpochs() + ". Restore it to resume, or give a"
                        + " new run another checkpoint directory; nothing was deleted.");
            }
            FileFingerprint actual = FileFingerprint.of(file);
            if (!actual.equals(expected.getValue())) {
                throw new CorruptCheckpointException(file + " is not the file " + TrainingState.FILE_NAME
                        + " committed with epoch " + state.completedEpochs() + " (" + actual + "; committed: "
                        + expected.getValue() + "): it was replaced or damaged outside the trainer, and resuming from"
                        + " it would continue other weights. Restore it to resume, or give a new run another"
                        + " checkpoint directory; nothing was deleted.");
            }
        }
    }

    /**
     * Refuses a fresh start in a directory that holds models without a state: they belong to no run this trainer can
     * resume, and the new run would overwrite them.
     */
    void requireNoUncommittedModels() throws IOException {
        List<String> models = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory,
                entry -> MODEL_FILES.matcher(entry.getFileName().toString()).matches())) {
            entries.forEach(entry -> models.add(entry.getFileName().toString()));
        }
        if (!models.isEmpty()) {
            models.sort(null);
            throw new CheckpointConflictException(directory + " holds " + String.join(", ", models) + " but no "
                    + TrainingState.FILE_NAME + ", so there is no run to resume, and a new run would overwrite them."
                    + " Move them elsewhere, or give the new run another checkpoint directory.");
        }
    }

    /** Loads the model of the last committed epoch. */
    UNet loadLast() throws IOException {
        return UNet.load(directory.resolve(LAST));
    }

    /**
     * Commits {@code next}'s epoch: stages its models, writes the state, renames the models into place.
     *
     * @param next     the state after the epoch, with the previous epoch's file fingerprints
     * @param improved the epoch's model becomes {@code best.zip}
     * @param periodic the epoch's model is also kept as {@code epoch-<n>.zip}
     * @return {@code next} with the fingerprints of the committed {@code last.zip} and {@code best.zip}
     */
    TrainingState commit(TrainingState next, UNet unet, boolean improved, boolean periodic) throws IOException {
        int epoch = next.completedEpochs();
        Path last = stagedPath(LAST, epoch);
        unet.save(last);
        faults.reached("staged " + LAST);
        Map<String, FileFingerprint> fingerprints = new HashMap<>(next.files());
        FileFingerprint model = FileFingerprint.of(last);
        fingerprints.put(LAST, model);
        if (improved) {
            files.copy(last, stagedPath(BEST, epoch));
            fingerprints.put(BEST, model);
            faults.reached("staged " + BEST);
        }
        if (periodic) {
            files.copy(last, stagedPath(periodicName(epoch), epoch));
            faults.reached("staged " + periodicName(epoch));
        }
        TrainingState committed = next.withFiles(fingerprints);
        committed.writeTo(directory, files);
        faults.reached("committed epoch " + epoch);
        for (Staged staged : staged()) {
            if (staged.epoch == epoch) {
                files.move(staged.path, directory.resolve(staged.finalName));
                faults.reached("renamed " + staged.finalName);
            }
        }
        faults.reached("checkpointed epoch " + epoch);
        return committed;
    }

    private Path stagedPath(String finalName, int epoch) {
        return directory.resolve(STAGED_PREFIX + finalName + STAGED_EPOCH + epoch + STAGED_SUFFIX);
    }

    private record Staged(Path path, String finalName, int epoch) {
    }

    /** The staged files: {@code last.zip}, {@code best.zip}, then the periodic ones (the order they are written). */
    private List<Staged> staged() throws IOException {
        List<Staged> result = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, STAGED_PREFIX + "*" + STAGED_SUFFIX)) {
            for (Path entry : entries) {
                Matcher matcher = STAGED.matcher(entry.getFileName().toString());
                if (matcher.matches()) {
                    result.add(new Staged(entry, matcher.group(1), Integer.parseInt(matcher.group(2))));
                }
            }
        }
        result.sort(java.util.Comparator.comparingInt((Staged staged) -> staged.finalName.equals(LAST) ? 0
                : staged.finalName.equals(BEST) ? 1 : 2).thenComparing(Staged::finalName));
        return result;
    }

    /** Releases the directory's lock. */
    @Override
    public void close() throws IOException {
        lock.close();
    }
}
