package io.github.mdunet.core.train;

import io.github.mdunet.core.files.DirectoryInUseException;
import io.github.mdunet.core.files.DirectoryLock;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * What a checkpoint directory holds from an earlier run, for an app that lets its user choose between resuming that
 * run and starting afresh, and the fresh start that keeps the earlier run's files: {@link #setAside} renames the
 * directory instead of deleting anything.
 *
 * @param directory      the checkpoint directory
 * @param files          the earlier run's files in it: its training state and models
 * @param completedEpochs the epochs its state records; empty when it has no readable state
 * @param stateProblem   why a training state it holds cannot be read (the reader's words, naming the file); empty
 *                       when every state reads
 */
public record EarlierRun(Path directory, List<String> files, OptionalInt completedEpochs,
                         Optional<String> stateProblem) {

    /**
     * The lock file a training run holds in its checkpoint directory, and {@link #setAside} takes: a trainer of its
     * own (unet-spark's) holds the same one, so that no two runs and no set-aside meet in one directory.
     */
    public static final String LOCK_FILE = CheckpointDirectory.LOCK_FILE;

    /** What {@link #setAside} puts between the directory's name and the time. */
    private static final String SET_ASIDE_INFIX = "-previous-";
    /**
     * What {@link #setAside} appends to the directory's name, as messages show it ({@value}); the time is
     * {@code yyyyMMdd-HHmmss}.
     */
    public static final String SET_ASIDE_SUFFIX = SET_ASIDE_INFIX + "<date>-<time>";

    /** The state and the models a run writes (see {@link CheckpointDirectory}). */
    private static final Pattern RUN_FILES = Pattern.compile(Pattern.quote(TrainingState.FILE_NAME) + "|"
            + CheckpointDirectory.MODEL_FILES.pattern());
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    public EarlierRun {
        files = List.copyOf(files);
    }

    /** The earlier run in {@code directory}, or empty when it holds no state and no model (or does not exist). */
    public static Optional<EarlierRun> in(Path directory) throws IOException {
        return in(directory, List.of());
    }

    /**
     * The earlier run in {@code directory} and in its subfolders {@code stages}, where a run of several stages keeps
     * its earlier stages' checkpoints (fine-tuning's frozen stage): their files are listed as {@code stage/file} and
     * their epochs counted before the directory's own, as the run numbers them. Empty when none of them holds a state
     * or a model.
     */
    public static Optional<EarlierRun> in(Path directory, List<String> stages) throws IOException {
        List<String> files = new ArrayList<>();
        OptionalInt epochs = OptionalInt.of(0);
        Optional<String> problem = Optional.empty();
        for (String stage : stages) {
            Path folder = directory.resolve(stage);
            List<String> stageFiles = runFiles(folder);
            stageFiles.forEach(file -> files.add(stage + "/" + file));
            if (!stageFiles.isEmpty()) {
                StateReading state = StateReading.of(folder);
                epochs = sum(epochs, state.epochs());
                problem = problem.or(state::problem);
            }
        }
        List<String> own = runFiles(directory);
        files.addAll(own);
        if (files.isEmpty()) {
            return Optional.empty();
        }
        if (!own.isEmpty()) {
            StateReading state = StateReading.of(directory);
            epochs = sum(epochs, state.epochs());
            problem = problem.or(state::problem);
        }
        return Optional.of(new EarlierRun(directory, files, epochs, problem));
    }

    /**
     * A directory's training state, read once: the epochs it records (empty when it has none or it cannot be read)
     * and why it cannot be read (empty when it reads or there is none).
     */
    private record StateReading(OptionalInt epochs, Optional<String> problem) {

        static StateReading of(Path directory) throws IOException {
            if (!TrainingState.existsIn(directory)) {
                return new StateReading(OptionalInt.empty(), Optional.empty());
            }
            try {
                return new StateReading(OptionalInt.of(TrainingState.readFrom(directory).completedEpochs()),
                        Optional.empty());
            } catch (CorruptCheckpointException e) {
                return new StateReading(OptionalInt.empty(), Optional.of(e.problem()));
            }
        }
    }

    /** The names of the state and models in {@code directory}, sorted; none when it does not exist. */
    private static List<String> runFiles(Path directory) throws IOException {
        List<String> files = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, entry -> RUN_FILES.matcher(
                entry.getFileName().toString()).matches())) {
            entries.forEach(entry -> files.add(entry.getFileName().toString()));
        }
        files.sort(null);
        return files;
    }

    /** The epochs of two stages together; empty when either's are unknown. */
    private static OptionalInt sum(OptionalInt epochs, OptionalInt more) {
        return epochs.isPresent() && more.isPresent() ? OptionalInt.of(epochs.getAsInt() + more.getAsInt())
                : OptionalInt.empty();
    }

    /** Whether a run can be resumed from here: a readable state records at least one epoch. */
    public boolean resumable() {
        return completedEpochs.isPresent();
    }

    /** The models among {@link #files()}, in their order: every file but the training states. */
    public List<Path> models() {
        return files.stream().filter(file -> !Path.of(file).getFileName().toString().equals(TrainingState.FILE_NAME))
                .map(directory::resolve).toList();
    }

    /**
     * For messages, e.g. {@code "a run after epoch 3 (best.zip, last.zip, training-state.json)"}; a state that cannot
     * be read is named with its problem, and its models with how they load.
     */
    public String describe() {
        String what = resumable() ? "a run after epoch " + completedEpochs.getAsInt()
                : stateProblem.isPresent() ? "a run whose state cannot be read (" + stateProblem.get()
                        + "; its models load with UNet.load)"
                : files.stream().anyMatch(file -> file.equals(TrainingState.FILE_NAME)
                        || file.endsWith("/" + TrainingState.FILE_NAME)) ? "a run whose " + TrainingState.FILE_NAME
                        + " cannot be read, or has models without one" : "models without a " + TrainingState.FILE_NAME;
        return what + " (" + String.join(", ", files) + ")";
    }

    /**
     * Renames the directory to a sibling {@code <name>-previous-<yyyyMMdd-HHmmss>} (a number appended if that
     * exists), so that a new run starts in an empty directory and the earlier run's models are kept.
     *
     * @return where the earlier run's files are now
     * @throws DirectoryInUseException when a run holds the directory
     */
    public Path setAside() throws IOException {
        Path parent = directory.toAbsolutePath().getParent();
        String base = directory.getFileName() + SET_ASIDE_INFIX + LocalDateTime.now().format(STAMP);
        Path target = parent.resolve(base);
        for (int n = 2; Files.exists(target); n++) {
            target = parent.resolve(base + "-" + n);
        }
        // Held while renaming, so that no run can start in the directory in between.
        try (DirectoryLock lock = DirectoryLock.acquire(directory, CheckpointDirectory.LOCK_FILE, "training run")) {
            Files.move(directory, target);
        }
        return target;
    }
}
