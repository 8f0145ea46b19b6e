package io.github.mdunet.core.train;

import io.github.mdunet.core.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.nd4j.shade.jackson.databind.DeserializationFeature;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * What a run needs to resume, written to {@value #FILE_NAME} after each finished epoch. Writing it is the moment the
 * epoch is committed: its models are staged before and renamed into place after (see {@link CheckpointDirectory}).
 *
 * @param completedEpochs          epochs finished and checkpointed in {@code last.zip}
 * @param history                  one record per finished epoch
 * @param bestValue                the best monitored value so far (NaN before the first epoch)
 * @param bestEpoch                the epoch of {@code best.zip} (0 before the first epoch)
 * @param epochsWithoutImprovement for early stopping
 * @param stepsPerEpoch            steps in one epoch, for the schedule
 * @param baseLearningRates        each parameter's configured learning rate ({@code layer/param}), which the
 *                                 schedule scales
 * @param run                      the settings the run began with; null in states of earlier versions
 * @param files                    {@code last.zip} and {@code best.zip} as committed with this state; empty in
 *                                 states of earlier versions
 */
record TrainingState(int completedEpochs, List<EpochRecord> history, double bestValue, int bestEpoch,
                     int epochsWithoutImprovement, long stepsPerEpoch, Map<String, Double> baseLearningRates,
                     RunSettings run, Map<String, FileFingerprint> files) {

    static final String FILE_NAME = "training-state.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    TrainingState {
        history = List.copyOf(history);
        baseLearningRates = Map.copyOf(baseLearningRates);
        files = files == null ? Map.of() : Map.copyOf(files);
    }

    /** The state before the first epoch. */
    static TrainingState start(RunSettings run, Map<String, Double> baseLearningRates) {
        return new TrainingState(0, List.of(), Double.NaN, 0, 0, run.stepsPerEpoch(), baseLearningRates, run, Map.of());
    }

    /** This state with {@code value} as its committed files. */
    TrainingState withFiles(Map<String, FileFingerprint> value) {
        return new TrainingState(completedEpochs, history, bestValue, bestEpoch, epochsWithoutImprovement,
                stepsPerEpoch, baseLearningRates, run, value);
    }

    static boolean existsIn(Path directory) {
        return Files.isRegularFile(directory.resolve(FILE_NAME));
    }

    /**
     * Reads the state of {@code directory}.
     *
     * @throws CorruptCheckpointException when the file cannot be parsed; the message says that the models are kept
     */
    static TrainingState readFrom(Path directory) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        try {
            TrainingState state = JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), TrainingState.class);
            if (state == null || state.history() == null) {
                throw new IOException("it holds no training state");
            }
            return state;
        } catch (IOException | RuntimeException e) {
            String reason = e instanceof org.nd4j.shade.jackson.core.JsonProcessingException json
                    ? json.getOriginalMessage() : e.getMessage();
            throw new CorruptCheckpointException(file + " is not a readable training state (" + reason + ")",
                    ", so the run in " + directory + " cannot be resumed. Its models are kept: "
                    + CheckpointDirectory.BEST + " and " + CheckpointDirectory.LAST + " load with UNet.load. Restore"
                    + " the file from a backup to resume, or give a new run another checkpoint directory (a new run"
                    + " here would overwrite " + CheckpointDirectory.BEST + ").", e);
        }
    }

    /** Writes atomically and durably: a reader, a kill or a power loss sees the old state or the new one. */
    void writeTo(Path directory, AtomicFiles files) throws IOException {
        files.write(directory.resolve(FILE_NAME), file -> JSON.writeValue(file.toFile(), this));
    }
}
