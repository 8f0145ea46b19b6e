package io.github.mdunet.tuning.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.model.TrainingRecord;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.predict.ImageFraming;
import io.github.mdunet.core.predict.Mirror;
import io.github.mdunet.core.testing.BrightShapes;
import io.github.mdunet.tuning.candidate.CandidateResult;
import io.github.mdunet.tuning.candidate.CandidateStatus;
import io.github.mdunet.tuning.memory.MemoryBudget;
import io.github.mdunet.tuning.memory.MemoryEstimator;
import io.github.mdunet.tuning.report.ResultsStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

class UNetSearchTest {

    private static final int SIZE = 32;

    private static UNetConfig base() {
        return SearchFixtures.tinyUNet(SIZE);
    }

    private static UNetSearch.Builder search(Path out) {
        return UNetSearch.builder()
                .baseConfig(base())
                .data(SearchFixtures.iterator(8, SIZE, 4, 1), SearchFixtures.iterator(4, SIZE, 4, 2))
                .space(SearchSpace.defaults().withMidChannelScale(0.5, 2.0))
                .epochs(1)
                .outputDirectory(out);
    }

    /**
     * The acceptance test: a 2 x 3 grid on synthetic data, end to end in under two minutes (about 25 s on a quiet
     * 2-core machine), then resumed without redoing anything.
     */
    @Test
    @Timeout(300)
    void smallGridSearchRunsEndToEndAndResumes(@TempDir Path out) throws Exception {
        long start = System.nanoTime();
        SearchResult first = search(out).strategy(new SearchStrategy.Grid(2)).maxCandidates(100)
                .trainedAugmentation(TrainingRecord.NONE.withFraming(ImageFraming.RESIZE)
                        .withMirrors(Set.of(Mirror.LEFT_RIGHT)))
                .trainedSignificantBits(12).build().run();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("grid search time")
                .isLessThan(Duration.ofMinutes(2));

        assertThat(first.candidates()).hasSize(6);
        assertThat(first.trained()).as("HALVE and EQ_SKIP build one network on the classic encoder").isEqualTo(4);
        assertThat(first.count(CandidateStatus.COMPLETE)).isEqualTo(6);
        for (double scale : List.of(0.5, 2.0)) {
            List<CandidateResult> twins = first.candidates().stream()
                    .filter(c -> c.values().reduction() != ChannelReduction.NONE
                            && c.values().midChannelScale() == scale).toList();
            assertThat(twins).hasSize(2);
            assertThat(twins.get(1).score()).isEqualTo(twins.get(0).score());
            assertThat(twins.get(0).message()).isEmpty();
            assertThat(twins.get(1).message()).isEqualTo("the network of #" + twins.get(0).index() + " ("
                    + twins.get(0).values() + "): its score, not trained again");
        }
        assertThat(first.candidates()).extracting(c -> c.values().reduction())
                .containsOnly(ChannelReduction.NONE, ChannelReduction.HALVE, ChannelReduction.EQ_SKIP);
        assertThat(first.candidates()).extracting(c -> c.values().midChannelScale()).containsOnly(0.5, 2.0);
        assertThat(first.candidates()).allSatisfy(c -> {
            assertThat(c.score()).isBetween(0.0, 1.0);
            assertThat(c.estimatedBytes()).isPositive();
            assertThat(c.parameters()).isPositive();
        });
        CandidateResult best = first.bestOrThrow();
        assertThat(first.candidates()).allSatisfy(c -> assertThat(c.score()).isLessThanOrEqualTo(best.score()));
        assertThat(Files.readAllLines(first.resultsCsv())).hasSize(7).first().isEqualTo(ResultsStore.HEADER);
        assertThat(first.chart()).exists().isNotEmptyFile();
        assertThat(first.bestModel()).isPresent();
        UNet saved = UNet.load(first.bestModel().get());
        assertThat(saved.config().midChannelScale()).isEqualTo(best.values().midChannelScale());
        assertThat(saved.config()).isEqualTo(best.values().applyTo(base()));
        assertThat(saved.trainedFraming()).as("recorded for predict").contains(ImageFraming.RESIZE);
        assertThat(saved.trainingRecord().mirrors()).contains(Set.of(Mirror.LEFT_RIGHT));
        assertThat(saved.trainedSignificantBits()).as("recorded for predict").hasValue(12);
        assertThat(first.table()).contains("COMPLETE").contains("*");
        assertThat(first.message()).startsWith("best of 6 candidates: #" + best.index() + " (" + best.values()
                + ") mean IoU ");

        SearchResult again = search(out).strategy(new SearchStrategy.Grid(2)).maxCandidates(100).build().run();

        assertThat(again.trained()).isZero();
        assertThat(again.resumed()).isEqualTo(6);
        assertThat(again.candidates()).hasSize(6);
        assertThat(again.bestOrThrow()).usingRecursiveComparison().ignoringFields("seconds").isEqualTo(best);
        assertThat(Files.readAllLines(again.resultsCsv())).hasSize(7);
    }

    @Test
    @Timeout(60)
    void impossibleBudgetRejectsEveryCandidateAndEndsWithAClearMessage(@TempDir Path out) {
        SearchResult result = search(out).strategy(new SearchStrategy.Random(7)).maxCandidates(5)
                .budget(new MemoryBudget(1)).build().run();

        assertThat(result.candidates()).hasSize(5).allSatisfy(c -> {
            assertThat(c.status()).isEqualTo(CandidateStatus.REJECTED);
            assertThat(c.estimatedBytes()).isGreaterThan(1);
            assertThat(c.message()).contains("needs").contains("budget 1 B");
        });
        assertThat(result.trained()).isZero();
        assertThat(result.best()).isEmpty();
        assertThat(result.bestModel()).isEmpty();
        assertThat(result.message()).startsWith("No candidate fits the memory budget of 1 B")
                .contains("all 5 candidates were rejected");
        assertThatThrownBy(result::bestOrThrow).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No candidate fits");

        SearchPlan plan = new CandidatePlanner(base(), 4, new MemoryBudget(1), new MemoryEstimator())
                .plan(SearchSpace.defaults().withMidChannelScale(0.5, 2.0), new SearchStrategy.Random(7), 5);
        assertThat(result.candidates()).as("the search tried what the plan lists, in its order")
                .extracting(CandidateResult::values)
                .containsExactlyElementsOf(plan.candidates().stream().map(PlannedCandidate::values).toList());
        assertThat(result.candidates()).extracting(CandidateResult::estimatedBytes)
                .containsExactlyElementsOf(plan.candidates().stream().map(PlannedCandidate::estimatedBytes).toList());
    }

    @Test
    @Timeout(120)
    void aCandidateFedImagesOfAnotherSizeThanItsInputFailsNamingBothSizes(@TempDir Path out) {
        SearchResult result = search(out).data(SearchFixtures.iterator(8, 2 * SIZE, 4, 1),
                SearchFixtures.iterator(4, SIZE, 4, 2)).strategy(new SearchStrategy.Random(7)).maxCandidates(1)
                .build().run();

        assertThat(result.candidates()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(CandidateStatus.FAILED);
            assertThat(c.message()).contains("search training batch 1 of epoch 1 has images of 64x64")
                    .contains("built for 32x32");
        });
    }

    @Test
    @Timeout(120)
    void withoutALimitAGridSearchTriesItsWholeGridAndARandomSearchTheDefaultDraws(@TempDir Path out) {
        SearchSpace space = SearchSpace.defaults().withMidChannelScale(0.5, 2.0);
        SearchStrategy.Grid grid = new SearchStrategy.Grid(8);
        assertThat(space.gridSize(grid.scaleSteps())).as("more points than the old default limit of 20").isEqualTo(24);

        SearchResult gridResult = search(out.resolve("grid")).space(space).strategy(grid)
                .budget(new MemoryBudget(1)).build().run();
        SearchResult randomResult = search(out.resolve("random")).space(space).strategy(new SearchStrategy.Random(3))
                .budget(new MemoryBudget(1)).build().run();

        assertThat(gridResult.candidates()).hasSize(24);
        assertThat(randomResult.candidates()).hasSize(CandidateCount.DEFAULT_RANDOM_CANDIDATES);
    }

    @Test
    @Timeout(180)
    void budgetBetweenCandidatesTrainsOnlyThoseThatFit(@TempDir Path out) {
        MemoryEstimator estimator = new MemoryEstimator();
        long small = estimator
                .estimate(base().withChannelReduction(ChannelReduction.EQ_SKIP).withMidChannelScale(0.5), 4)
                .total();
        long large = estimator.estimate(base().withChannelReduction(ChannelReduction.NONE).withMidChannelScale(2.0), 4)
                .total();
        MemoryBudget budget = new MemoryBudget((small + large) / 2);
        SearchResult result = search(out)
                .space(new SearchSpace(new MidChannelScales.Range(0.5, 2.0),
                        List.of(ChannelReduction.EQ_SKIP, ChannelReduction.NONE),
                        SearchSpace.defaults().upsampleModes(), List.of(false)))
                .strategy(new SearchStrategy.Grid(2)).budget(budget).maxTime(Duration.ofMinutes(5)).build().run();

        assertThat(result.candidates()).hasSize(4);
        assertThat(result.candidates()).filteredOn(c -> c.status() == CandidateStatus.REJECTED)
                .isNotEmpty().allSatisfy(c -> assertThat(c.estimatedBytes()).isGreaterThan(budget.bytes()));
        assertThat(result.candidates()).filteredOn(c -> c.status() == CandidateStatus.COMPLETE)
                .isNotEmpty().allSatisfy(c -> assertThat(c.estimatedBytes()).isLessThanOrEqualTo(budget.bytes()));
    }

    @Test
    void builderNamesMissingFields() {
        assertThatThrownBy(() -> UNetSearch.builder().build()).hasMessageStartingWith("baseConfig must be set");
        assertThatThrownBy(() -> UNetSearch.builder().baseConfig(base())
                        .data(SearchFixtures.iterator(4, SIZE, 2, 1), SearchFixtures.iterator(4, SIZE, 2, 1))
                        .build())
                .hasMessageStartingWith("outputDirectory must be set");
    }

    /** The search trains on the iterator's batches: a batch size for the estimate that differs is refused. */
    @Test
    void aBatchSizeOtherThanTheTrainingIteratorsIsRefused(@TempDir Path out) {
        assertThatThrownBy(() -> search(out).batchSize(8).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchSize is 8")
                .hasMessageContaining("training iterator's batch() is 4")
                .hasMessageContaining("batches of 8");
        assertThat(search(out).batchSize(4).build()).isNotNull();
    }

    /** An iterator that does not say its batch size: the estimate needs one, given with batchSize. */
    @Test
    void anUnknownIteratorBatchSizeIsNamed(@TempDir Path out) {
        DataSetIterator unknownBatch = new ListDataSetIterator<>(BrightShapes.generate(8, SIZE, 1).asList(), 4) {
            @Override
            public int batch() {
                return -1;
            }
        };
        assertThatThrownBy(() -> search(out).data(unknownBatch, SearchFixtures.iterator(4, SIZE, 4, 2)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("training iterator's batch() is unknown (-1)")
                .hasMessageContaining("batchSize(");
        assertThat(search(out).data(unknownBatch, SearchFixtures.iterator(4, SIZE, 4, 2)).batchSize(4).build())
                .isNotNull();
    }

    /** Each trained candidate's native memory is released before the next one trains. */
    @Test
    @Timeout(300)
    void nativeMemoryIsReleasedAfterEachTrainedCandidate(@TempDir Path out) {
        List<String> steps = new ArrayList<>();
        SearchFixtures.twoCandidateSearch(SearchFixtures.iterator(8, SIZE, 4, 1), SIZE, out).faults(steps::add)
                .build().run();

        assertThat(steps).filteredOn(step -> step.startsWith("recorded") || step.startsWith("released"))
                .containsExactly("recorded #0", "released native memory after #0", "recorded #1",
                        "released native memory after #1");
    }
}
