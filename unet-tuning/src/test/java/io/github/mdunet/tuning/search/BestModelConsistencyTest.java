package io.github.mdunet.tuning.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.model.UNet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** best-model.zip is installed only after its candidate's row is recorded, and a kill between the two is repaired. */
class BestModelConsistencyTest {

    private static final int SIZE = 32;

    @TempDir
    Path out;

    private static UNetConfig base() {
        return SearchFixtures.tinyUNet(SIZE);
    }

    private UNetSearch.Builder search(int candidates) {
        return SearchFixtures.twoCandidateSearch(SearchFixtures.iterator(8, SIZE, 4, 1), SIZE, out)
                .maxCandidates(candidates);
    }

    private int rows() {
        try {
            return Files.exists(out.resolve(UNetSearch.RESULTS_CSV))
                    ? Files.readAllLines(out.resolve(UNetSearch.RESULTS_CSV)).size() - 1 : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a kill at a step would leave: the steps' order and the files at each. */
    @Test
    @Timeout(300)
    void theBestModelIsInstalledOnlyAfterItsRowIsRecorded() throws IOException {
        List<String> steps = new ArrayList<>();
        search(1).faults(point -> {
            steps.add(point + ": " + rows() + " row(s), best model " + (Files.exists(out.resolve(UNetSearch.BEST_MODEL))
                    ? "installed" : "absent"));
        }).build().run();
        assertThat(steps).containsExactly("staged best model #0: 0 row(s), best model absent",
                "recorded #0: 1 row(s), best model absent", "installed best model #0: 1 row(s), best model installed");
    }

    /** Thrown at a chosen step: a kill, as far as the search's files can tell. */
    static final class SimulatedKill extends RuntimeException {
        SimulatedKill(String point) {
            super("killed after " + point);
        }
    }

    private static SearchFaults killAt(String point) {
        return reached -> {
            if (reached.equals(point)) {
                throw new SimulatedKill(reached);
            }
        };
    }

    @Test
    @Timeout(300)
    void aKillBeforeTheRowLeavesNoModelAndTheCandidateIsTrainedAgain() throws IOException {
        search(1).faults(killAt("staged best model #0")).build().run();
        assertThat(rows()).isZero();
        assertThat(out.resolve(UNetSearch.BEST_MODEL)).doesNotExist();

        SearchResult resumed = search(1).build().run();
        assertThat(resumed.trained()).isEqualTo(1);
        assertThat(resumed.bestModel()).contains(out.resolve(UNetSearch.BEST_MODEL));
        assertThat(UNet.load(resumed.bestModel().get()).config())
                .isEqualTo(resumed.bestOrThrow().values().applyTo(base()));
        assertNothingStaged();
    }

    @Test
    @Timeout(300)
    void aKillBetweenTheRowAndTheModelIsCompletedOnResume() throws IOException {
        search(1).faults(killAt("recorded #0")).build().run();
        assertThat(rows()).isEqualTo(1);
        assertThat(out.resolve(UNetSearch.BEST_MODEL)).doesNotExist();

        SearchResult resumed = search(1).build().run();
        assertThat(resumed.trained()).as("the recorded candidate is not trained again").isZero();
        assertThat(resumed.bestModel()).contains(out.resolve(UNetSearch.BEST_MODEL));
        assertThat(UNet.load(resumed.bestModel().get()).config())
                .isEqualTo(resumed.bestOrThrow().values().applyTo(base()));
        assertThat(Files.readString(out.resolve(UNetSearch.BEST_SUMMARY))).contains("candidate #0");
        assertNothingStaged();
    }

    private void assertNothingStaged() throws IOException {
        try (var files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .noneMatch(name -> name.endsWith(".staged") || name.endsWith(".partial"));
        }
    }
}
