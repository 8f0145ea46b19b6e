package io.github.mdunet.tuning.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.files.AtomicFiles;
import io.github.mdunet.core.model.TrainingRecord;
import io.github.mdunet.tuning.candidate.CandidateResult;
import io.github.mdunet.tuning.candidate.CandidateStatus;
import io.github.mdunet.tuning.candidate.CandidateValues;
import io.github.mdunet.tuning.report.ResultsStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link BestModelFiles#recover} makes of the staged files a stopped or failed save left: it installs only the
 * whole staging of the newest recorded best that no later best replaced, and deletes the rest. The files' contents are
 * stand-ins (recover only renames them); the summaries name their candidates as {@code stage} writes them.
 */
class BestModelFilesTest {

    private static final String SETUP = "setup";
    private static final String MODEL = BestModelFiles.MODEL;
    private static final String SUMMARY = BestModelFiles.SUMMARY;

    @TempDir
    Path out;

    private ResultsStore store;
    private BestModelFiles files;
    private final CandidateResult a = complete(0, 0.5);
    private final CandidateResult b = complete(1, 1.0);
    private final CandidateResult c = complete(2, 2.0);

    private static CandidateResult complete(int index, double midScale) {
        return new CandidateResult(index, new CandidateValues(midScale, ChannelReduction.NONE,
                new UpsampleMode.PixelShuffle(false), false), 1000, 10, 0.5, 1, CandidateStatus.COMPLETE, "");
    }

    @BeforeEach
    void recordThreeRows() {
        store = ResultsStore.load(out.resolve(UNetSearch.RESULTS_CSV));
        for (CandidateResult result : new CandidateResult[] {a, b, c}) {
            store.append(SETUP, result);
        }
        files = new BestModelFiles(out, AtomicFiles.durable(), TrainingRecord.NONE);
    }

    private static String key(CandidateResult result) {
        return BestModelFiles.keyOf(SETUP, result.values());
    }

    private static String summaryOf(CandidateResult result) {
        return "candidate key " + key(result) + "\ncandidate #" + result.index() + "\n" + result.values() + "\n";
    }

    private void stage(CandidateResult result, boolean model, boolean summary) throws IOException {
        if (model) {
            Files.writeString(files.staged(MODEL, key(result)), "model of #" + result.index());
        }
        if (summary) {
            Files.writeString(files.staged(SUMMARY, key(result)), summaryOf(result));
        }
    }

    private void install(CandidateResult result) throws IOException {
        Files.writeString(out.resolve(MODEL), "model of #" + result.index());
        Files.writeString(out.resolve(SUMMARY), summaryOf(result));
    }

    private void assertInstalled(CandidateResult result) throws IOException {
        assertThat(out.resolve(MODEL)).hasContent("model of #" + result.index());
        assertThat(files.holds(SETUP, result)).as("best-candidate.txt names #" + result.index()).isTrue();
        try (var entries = Files.list(out)) {
            assertThat(entries.map(f -> f.getFileName().toString())).noneMatch(name -> name.endsWith(".staged"));
        }
    }

    /** B's install failed, C beat it and was installed: B's staging must not go over C's model. */
    @Test
    void aStagedBestThatALaterBestReplacedIsDeleted() throws IOException {
        stage(b, true, true);
        install(c);

        files.recover(store);

        assertInstalled(c);
    }

    /** B's summary could not be written (a staging of an earlier version kept the model): its model alone stays out. */
    @Test
    void aStagedModelWithoutItsSummaryIsDeleted() throws IOException {
        install(a);
        stage(b, true, false);

        files.recover(store);

        assertInstalled(a);
    }

    /** Two stagings left by failed installs, the older first: the newest recorded is the best, the other goes. */
    @Test
    void ofTwoStagedBestsTheNewestIsInstalled() throws IOException {
        install(a);
        stage(b, true, true);
        stage(c, true, true);

        files.recover(store);

        assertInstalled(c);
    }

    /** A kill between the row and the renames: the staging is installed. */
    @Test
    void aStagedBestRecordedAfterTheInstalledOneIsInstalled() throws IOException {
        install(a);
        stage(b, true, true);

        files.recover(store);

        assertInstalled(b);
    }

    /** A kill between the two renames: the model is in place, the summary that names it follows. */
    @Test
    void aStagedSummaryWhoseModelWasAlreadyMovedIsInstalled() throws IOException {
        install(a);
        Files.writeString(out.resolve(MODEL), "model of #" + b.index());
        stage(b, false, true);

        files.recover(store);

        assertInstalled(b);
    }

    /** A kill before the row: the candidate is trained again, its staging deleted. */
    @Test
    void aStagedBestWithoutARecordedRowIsDeleted() throws IOException {
        install(a);
        CandidateResult unrecorded = complete(3, 1.5);
        stage(unrecorded, true, true);

        files.recover(store);

        assertInstalled(a);
    }
}
