package io.github.mdunet.core.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.nd4j.shade.jackson.databind.DeserializationFeature;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * What a run needs to resume, written to {@value #FILE_NAME} after each finished epoch, after that epoch's model.
 *
 * @param completedEpochs          epochs finished and checkpointed in {@code last.zip}
 * @param history                  one record per finished epoch
 * @param bestValue                the best monitored value so far (NaN before the first epoch)
 * @param bestEpoch                the epoch of {@code best.zip} (0 before the first epoch)
 * @param epochsWithoutImprovement for early stopping
 * @param stepsPerEpoch            steps in one epoch, for the schedule
 * @param baseLearningRates        each parameter's configured learning rate ({@code layer/param}), which the
 *                                 schedule scales
 */
record TrainingState(int completedEpochs, List<EpochRecord> history, double bestValue, int bestEpoch,
                     int epochsWithoutImprovement, long stepsPerEpoch, Map<String, Double> baseLearningRates) {

    static final String FILE_NAME = "training-state.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    TrainingState {
        history = List.copyOf(history);
        baseLearningRates = Map.copyOf(baseLearningRates);
    }

    static boolean existsIn(Path directory) {
        return Files.isRegularFile(directory.resolve(FILE_NAME));
    }

    static TrainingState readFrom(Path directory) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        try {
            return JSON.readValue(file.toFile(), TrainingState.class);
        } catch (IOException e) {
            throw new IOException(file + " is not a readable training state (" + e.getMessage()
                    + "): delete the checkpoint directory's contents to start afresh", e);
        }
    }

    /** Writes atomically: a reader sees the old state or the new one, never half of one. */
    void writeTo(Path directory) throws IOException {
        Path temporary = directory.resolve(FILE_NAME + ".partial");
        JSON.writeValue(temporary.toFile(), this);
        Files.move(temporary, directory.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }
}
