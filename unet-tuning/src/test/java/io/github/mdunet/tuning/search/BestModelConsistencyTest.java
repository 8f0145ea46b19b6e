package io.github.mdunet.tuning.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.files.AtomicFiles;
import io.github.mdunet.core.model.TrainingRecord;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.tuning.candidate.CandidateStatus;
import io.github.mdunet.tuning.candidate.CandidateValues;
import io.github.mdunet.tuning.memory.MemoryBudget;
import io.github.mdunet.tuning.memory.MemoryEstimator;
import io.github.mdunet.tuning.report.ResultsStore;
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
                "recorded #0: 1 row(s), best model absent", "installed best model #0: 1 row(s), best model installed",
                "released native memory after #0: 1 row(s), best model installed");
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

    /**
     * A row that cannot be written (results.csv turned into a directory after the candidate was trained) threw out of
     * the candidate's task; it is now the candidate's outcome: FAILED, saying what it was and why it is not recorded,
     * and its staged model is deleted, not installed.
     */
    @Test
    @Timeout(300)
    void aResultThatCannotBeRecordedIsTheCandidatesFailureAndItsModelIsNotSaved() throws IOException {
        SearchResult result = search(1).faults(point -> {
            if (point.equals("staged best model #0")) {
                try {
                    Files.createDirectory(out.resolve(UNetSearch.RESULTS_CSV));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }).build().run();

        assertThat(result.candidates()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(CandidateStatus.FAILED);
            assertThat(c.message()).startsWith("COMPLETE with score ")
                    .contains(", but not recorded: cannot append the row of candidate #0 to search results "
                            + out.resolve(UNetSearch.RESULTS_CSV))
                    .endsWith("; the next run on this directory tries it again");
        });
        assertThat(result.best()).isEmpty();
        assertThat(out.resolve(UNetSearch.BEST_MODEL)).doesNotExist();
        assertNothingStaged();
    }

    private void assertNothingStaged() throws IOException {
        try (var files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .noneMatch(name -> name.endsWith(".staged") || name.endsWith(".partial"));
        }
    }

    /** A search over explicit mid scales, one candidate per scale (reduction NONE). */
    private UNetSearch.Builder searchOf(double... scales) {
        return search(scales.length).space(SearchSpace.defaults().withMidChannelScales(scales));
    }

    /** Sets the score of the complete rows of mid scale {@code scale} in results.csv, as a luckier run would have. */
    private void setScore(double scale, double score) throws IOException {
        Path csv = out.resolve(UNetSearch.RESULTS_CSV);
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            String[] fields = line.split(",", -1);
            if (fields[10].equals("COMPLETE") && Double.parseDouble(fields[1]) == scale) {
                fields[8] = Double.toString(score);
            }
            lines.add(String.join(",", fields));
        }
        Files.write(csv, lines);
    }

    /** The returned best is this run's: a better score of another space in the same file does not stop its save. */
    @Test
    @Timeout(300)
    void thisRunsBestIsSavedThoughAnotherSpaceScoredBetterBefore() throws IOException {
        searchOf(0.5).build().run();
        setScore(0.5, 1.0);

        SearchResult other = searchOf(1.0).build().run();

        assertThat(other.bestOrThrow().values().midChannelScale()).isEqualTo(1.0);
        assertThat(other.bestModel()).contains(out.resolve(UNetSearch.BEST_MODEL));
        assertThat(UNet.load(other.bestModel().get()).config())
                .isEqualTo(other.bestOrThrow().values().applyTo(base()));
    }

    /** A REJECTED row of the saved best (a run under a smaller budget) does not let a worse candidate replace it. */
    @Test
    @Timeout(300)
    void aRejectedRowOfTheSavedBestDoesNotLetAWorseCandidateReplaceIt() throws IOException {
        searchOf(0.5).build().run();
        setScore(0.5, 1.0);
        searchOf(0.5).budget(new MemoryBudget(1)).build().run();

        SearchResult both = searchOf(0.5, 1.0).build().run();

        assertThat(both.resumed()).isEqualTo(1);
        assertThat(both.trained()).isEqualTo(1);
        assertThat(both.bestOrThrow().values().midChannelScale()).isEqualTo(0.5);
        assertThat(both.bestModel()).contains(out.resolve(UNetSearch.BEST_MODEL));
        assertThat(UNet.load(both.bestModel().get()).config()).isEqualTo(both.bestOrThrow().values().applyTo(base()));
    }

    /** When the best is a reused result whose model a later search replaced, the message says so. */
    @Test
    @Timeout(300)
    void aReusedBestWhoseModelWasReplacedIsExplained() {
        searchOf(0.5).build().run();
        searchOf(1.0).build().run();

        SearchResult again = searchOf(0.5).build().run();

        assertThat(again.trained()).isZero();
        assertThat(again.bestOrThrow().values().midChannelScale()).isEqualTo(0.5);
        assertThat(again.bestModel()).isEmpty();
        assertThat(again.message()).contains("best-model.zip is not the model of #0 (midChannelScale=0.500")
                .contains("reused from an earlier run")
                .contains("holds the model of candidate #0 (midChannelScale=1.000")
                .contains("new output directory");
    }

    /**
     * A candidate trained before one whose better result the run reuses later does not replace that result's model:
     * the reused result is the run's best.
     */
    @Test
    @Timeout(300)
    void aCandidateTrainedBeforeABetterReusedOneDoesNotReplaceItsModel() throws IOException {
        MemoryEstimator estimator = new MemoryEstimator();
        long small = estimator.estimate(base().withChannelReduction(ChannelReduction.NONE).withMidChannelScale(0.5), 4)
                .total();
        long large = estimator.estimate(base().withChannelReduction(ChannelReduction.NONE).withMidChannelScale(1.0), 4)
                .total();
        searchOf(1.0, 0.5).budget(new MemoryBudget((small + large) / 2)).build().run();
        setScore(0.5, 1.0);

        SearchResult both = searchOf(1.0, 0.5).build().run();

        assertThat(both.trained()).as("#0, rejected before").isEqualTo(1);
        assertThat(both.bestOrThrow().index()).isEqualTo(1);
        assertThat(both.bestModel()).contains(out.resolve(UNetSearch.BEST_MODEL));
        assertThat(UNet.load(both.bestModel().get()).config()).isEqualTo(both.bestOrThrow().values().applyTo(base()));
    }

    /**
     * A best whose summary cannot be written (a directory in the way of its staged summary, put there when the search
     * records the rejected candidate before it) leaves nothing staged: its model, left behind, was installed by the
     * next run over the saved best while best-candidate.txt still named that one, so bestModel() handed back the
     * wrong network as the reused best.
     */
    @Test
    @Timeout(300)
    void aBestWhoseSummaryCannotBeWrittenLeavesNothingForTheNextRunToInstall() throws IOException {
        searchOf(0.5).build().run();
        ResultsStore.Row first = ResultsStore.load(out.resolve(UNetSearch.RESULTS_CSV)).rows().get(0);
        CandidateValues a = first.result().values();
        CandidateValues b = new CandidateValues(1.0, a.reduction(), a.upsample(), a.midAttention());
        Path blocker = new BestModelFiles(out, AtomicFiles.durable(), TrainingRecord.NONE)
                .staged(BestModelFiles.SUMMARY, BestModelFiles.keyOf(first.setup(), b));
        MemoryEstimator estimator = new MemoryEstimator();
        long one = estimator.estimate(b.applyTo(base()), 4).total();
        long two = estimator.estimate(base().withChannelReduction(a.reduction()).withMidChannelScale(2.0), 4).total();

        SearchResult second = searchOf(2.0, 1.0).budget(new MemoryBudget((one + two) / 2)).faults(point -> {
            if (point.equals("recorded #0")) {
                try {
                    Files.createDirectories(blocker.resolve("in the way"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }).build().run();
        Files.delete(blocker.resolve("in the way"));
        Files.delete(blocker);

        assertThat(second.bestOrThrow().values()).isEqualTo(b);
        assertThat(second.bestModel()).isEmpty();
        assertThat(second.message()).contains("saving it failed");

        SearchResult third = searchOf(0.5).build().run();

        assertThat(third.trained()).isZero();
        assertThat(third.bestModel()).contains(out.resolve(UNetSearch.BEST_MODEL));
        assertThat(UNet.load(third.bestModel().get()).config()).isEqualTo(a.applyTo(base()));
        assertNothingStaged();
    }
}
