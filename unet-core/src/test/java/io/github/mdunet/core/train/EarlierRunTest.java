package io.github.mdunet.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An earlier run as an app sees it before it resumes or sets it aside: its stage subfolders included. */
class EarlierRunTest {

    @TempDir
    Path directory;

    @Test
    void aStageFolderIsPartOfTheRunAndItsUnreadableStateIsNamed() throws IOException {
        Path stage = Files.createDirectories(directory.resolve("frozen"));
        Files.writeString(stage.resolve(TrainingState.FILE_NAME), "{not a state");
        Files.write(stage.resolve(CheckpointDirectory.LAST), new byte[] {1});
        Files.writeString(stage.resolve("notes.txt"), "not a run file");

        assertThat(EarlierRun.in(directory)).as("without its stages the directory holds nothing").isEmpty();
        EarlierRun run = EarlierRun.in(directory, List.of("frozen")).orElseThrow();
        assertThat(run.files()).containsExactly("frozen/last.zip", "frozen/training-state.json");
        assertThat(run.resumable()).isFalse();
        assertThat(run.completedEpochs()).as("an unreadable state records no epochs").isEmpty();
        assertThat(run.stateProblem()).hasValueSatisfying(problem -> assertThat(problem)
                .startsWith(stage.resolve(TrainingState.FILE_NAME) + " is not a readable training state ("));
        assertThat(run.describe()).isEqualTo("a run whose state cannot be read (" + run.stateProblem().orElseThrow()
                + "; its models load with UNet.load) (frozen/last.zip, frozen/training-state.json)");
        assertThat(run.directory()).isEqualTo(directory);
    }

    @Test
    void itsModelsAreItsFilesButTheStates() throws IOException {
        Path stage = Files.createDirectories(directory.resolve("frozen"));
        Files.write(stage.resolve("best.zip"), new byte[] {1});
        Files.writeString(stage.resolve(TrainingState.FILE_NAME), "{not a state");
        Files.write(directory.resolve("epoch-2.zip"), new byte[] {2});
        Files.writeString(directory.resolve(TrainingState.FILE_NAME), "{not a state");

        EarlierRun run = EarlierRun.in(directory, List.of("frozen")).orElseThrow();

        assertThat(run.models()).containsExactly(stage.resolve("best.zip"), directory.resolve("epoch-2.zip"));
    }

    @Test
    void theModelsOfARunAreItsLastBestAndPeriodicOnes() throws IOException {
        for (String name : List.of("best.zip", "epoch-3.zip", "last.zip", "epoch-.zip", "epoch-3.zip.bak",
                "xbest.zip", ".last.zip.epoch-3.staged", "training.lock")) {
            Files.write(directory.resolve(name), new byte[] {1});
        }

        assertThat(EarlierRun.in(directory).orElseThrow().files()).containsExactly("best.zip", "epoch-3.zip",
                "last.zip");
    }
}
