package io.github.mdunet.tuning.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.testing.BrightShapes;
import io.github.mdunet.tuning.candidate.CandidateStatus;
import io.github.mdunet.tuning.memory.MemoryBudget;
import io.github.mdunet.tuning.memory.MemoryCorrection;
import io.github.mdunet.tuning.memory.MemoryEstimate;
import io.github.mdunet.tuning.memory.MemoryEstimator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** A search run again on its output directory: what it may reuse, and what it must assess or train again. */
class SearchResumeTest {

    private static final int SIZE = 32;

    @TempDir
    Path out;

    private UNetSearch.Builder search(DataSetIterator train) {
        return SearchFixtures.twoCandidateSearch(train, SIZE, out);
    }

    private UNetSearch.Builder search() {
        return search(SearchFixtures.iterator(8, SIZE, 4, 1));
    }

    @Test
    @Timeout(300)
    void aCandidateRejectedUnderOneBudgetIsTrainedUnderALargerOneAndAReusedOneRejectedUnderASmaller() {
        SearchResult tight = search().budget(new MemoryBudget(1)).build().run();
        assertThat(tight.candidates()).hasSize(2).allSatisfy(c -> assertThat(c.status())
                .isEqualTo(CandidateStatus.REJECTED));

        SearchResult roomy = search().budget(MemoryBudget.unlimited()).build().run();
        assertThat(roomy.trained()).as("candidates trained under the larger budget").isEqualTo(2);
        assertThat(roomy.candidates()).allSatisfy(c -> assertThat(c.status()).isEqualTo(CandidateStatus.COMPLETE));

        SearchResult tightAgain = search().budget(new MemoryBudget(1)).build().run();
        assertThat(tightAgain.trained()).isZero();
        assertThat(tightAgain.candidates()).allSatisfy(c -> assertThat(c.status())
                .isEqualTo(CandidateStatus.REJECTED));
        assertThat(tightAgain.best()).isEmpty();
        assertThat(tightAgain.bestModel()).isEmpty();
    }

    /** Training data that fails while {@link #broken}, as a disk that went away would. */
    static final class FlakyData extends ListDataSetIterator<DataSet> {
        static volatile boolean broken;

        FlakyData() {
            super(BrightShapes.generate(8, SIZE, 1).asList(), 4);
        }

        /** Also {@code next()}, which takes a batch through here. */
        @Override
        public DataSet next(int num) {
            if (broken) {
                throw new IllegalStateException("the data's disk went away");
            }
            return super.next(num);
        }
    }

    @Test
    @Timeout(300)
    void failedCandidatesAreTriedAgain() {
        FlakyData.broken = true;
        SearchResult failed = search(new FlakyData()).build().run();
        assertThat(failed.candidates()).hasSize(2).allSatisfy(c -> {
            assertThat(c.status()).isEqualTo(CandidateStatus.FAILED);
            assertThat(c.message()).contains("the data's disk went away");
        });
        FlakyData.broken = false;
        SearchResult again = search(new FlakyData()).build().run();
        assertThat(again.trained()).isEqualTo(2);
        assertThat(again.candidates()).allSatisfy(c -> assertThat(c.status()).isEqualTo(CandidateStatus.COMPLETE));
        assertThat(again.bestModel()).isPresent();
    }

    @Test
    @Timeout(300)
    void aHalfWrittenLastRowIsDroppedAndTheSearchResumes() throws Exception {
        SearchResult first = search().maxCandidates(1).build().run();
        Path csv = first.resultsCsv();
        List<String> rows = Files.readAllLines(csv);
        Files.writeString(csv, "1,1.000000,EQ_SKIP,pixelSh", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        SearchResult again = search().build().run();
        assertThat(again.resumed()).isEqualTo(1);
        assertThat(again.trained()).isEqualTo(1);
        List<String> after = Files.readAllLines(csv);
        assertThat(after).hasSize(rows.size() + 1).startsWith(rows.toArray(String[]::new));
        assertThat(Files.readString(csv)).endsWith("\n").doesNotContain("pixelSh\n").doesNotContain("pixelSh1");
    }

    /** Another number of epochs gives other scores: the first run's scores are not reused as this run's. */
    @Test
    @Timeout(300)
    void resultsOfAnotherSetupAreNotReused() {
        search().maxCandidates(1).build().run();
        SearchResult longer = search().maxCandidates(1).epochs(2).build().run();
        assertThat(longer.trained()).isEqualTo(1);
        assertThat(longer.resumed()).isZero();
        SearchResult same = search().maxCandidates(1).epochs(2).build().run();
        assertThat(same.trained()).isZero();
        assertThat(same.resumed()).isEqualTo(1);
    }

    /**
     * A reused result is judged with this run's estimate, so it carries this run's estimate and parameter count, not
     * its row's: after an estimator change the table and search.png showed a complete point right of the budget line.
     */
    @Test
    @Timeout(300)
    void aReusedResultCarriesThisRunsEstimateAndParameterCount() throws Exception {
        SearchResult first = search().build().run();
        Path csv = first.resultsCsv();
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            String[] fields = line.split(",", -1);
            if (fields[10].equals("COMPLETE")) {
                fields[7] = "1";
            }
            rows.add(String.join(",", fields));
        }
        Files.write(csv, rows);
        MemoryEstimator uncorrected = new MemoryEstimator(MemoryCorrection.NONE);

        SearchResult again = search().estimator(uncorrected).build().run();

        assertThat(again.resumed()).isEqualTo(2);
        assertThat(again.candidates()).hasSize(2).allSatisfy(c -> {
            MemoryEstimate estimate = uncorrected.estimate(c.values().applyTo(SearchFixtures.tinyUNet(SIZE)), 4);
            assertThat(c.estimatedBytes()).isEqualTo(estimate.total());
            assertThat(c.parameters()).isEqualTo(estimate.parameterCount());
        });
        assertThat(first.candidates().get(0).estimatedBytes()).as("the estimators differ")
                .isNotEqualTo(again.candidates().get(0).estimatedBytes());
    }
}
