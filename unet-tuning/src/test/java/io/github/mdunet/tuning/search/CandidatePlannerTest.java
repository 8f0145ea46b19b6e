package io.github.mdunet.tuning.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.tuning.candidate.CandidateValues;
import io.github.mdunet.tuning.memory.MemoryBudget;
import io.github.mdunet.tuning.memory.MemoryEstimate;
import io.github.mdunet.tuning.memory.MemoryEstimator;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

class CandidatePlannerTest {

    private static final int BATCH = 4;
    private static final SearchSpace SPACE = SearchSpace.defaults().withMidChannelScales(0.5, 1.0, 2.0);
    private static final MemoryEstimator ESTIMATOR = new MemoryEstimator();

    /**
     * Of the calibration's kind (its encoders, depths, widths and sizes, and on the stock layers every reduction and
     * mid scales 0.5 to 2 of {@link #SPACE}), so that only what a test varies is noted.
     */
    private static UNetConfig base() {
        return UNetConfig.builder()
                .encoder(new ClassicEncoder(3, 16, Normalization.BATCH))
                .layers(BlockLayers.STOCK)
                .input(new ImageShape(3, 128, 160))
                .numClasses(3)
                .updater(new Adam(1e-3))
                .build();
    }

    private static CandidatePlanner planner(MemoryBudget budget) {
        return new CandidatePlanner(base(), BATCH, budget, ESTIMATOR);
    }

    @Test
    void planListsTheSearchsCandidatesWithTheEstimatorsFigures() {
        SearchPlan plan = planner(MemoryBudget.unlimited()).plan(SPACE, new SearchStrategy.Grid(2), 100);

        assertThat(plan.candidates()).extracting(PlannedCandidate::values)
                .containsExactlyElementsOf(CandidateSequence.of(SPACE, new SearchStrategy.Grid(2), 100));
        assertThat(plan.candidates()).extracting(PlannedCandidate::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
        for (PlannedCandidate candidate : plan.candidates()) {
            MemoryEstimate estimate = ESTIMATOR.estimate(candidate.values().applyTo(base()), BATCH);
            assertThat(candidate.parameterCount()).isEqualTo(estimate.parameterCount());
            assertThat(candidate.estimatedBytes()).isEqualTo(estimate.total());
            assertThat(candidate.fit()).isEqualTo(BudgetFit.FITS);
        }
        assertThat(plan.summary()).isEqualTo("9 of 9 candidates fit the budget of unlimited at batch size 4.");
    }

    /** The classic encoder doubles its width at each stage: halving a stage's input gives the skip's width. */
    @Test
    void candidatesThatBuildTheNetworkOfAnEarlierOneAreMarkedWithIt() {
        SearchPlan plan = planner(MemoryBudget.unlimited()).plan(SPACE, new SearchStrategy.Grid(2), 100);

        for (PlannedCandidate candidate : plan.candidates()) {
            ChannelReduction reduction = candidate.values().reduction();
            if (reduction == ChannelReduction.NONE) {
                assertThat(candidate.sameNetworkAs()).as("#%d", candidate.index()).isEmpty();
                continue;
            }
            PlannedCandidate halve = plan.candidates().stream()
                    .filter(c -> c.values().reduction() == ChannelReduction.HALVE
                            && c.values().midChannelScale() == candidate.values().midChannelScale())
                    .findFirst().orElseThrow();
            PlannedCandidate first = halve.index() < candidate.index() ? halve : candidate;
            if (candidate != first) {
                assertThat(candidate.sameNetworkAs()).as("#%d", candidate.index()).hasValue(first.index());
                assertThat(candidate.parameterCount()).isEqualTo(first.parameterCount());
                assertThat(plan.table()).containsPattern("(?m)^\\s+" + candidate.index()
                        + " .*fits, the network of #" + first.index() + ": takes its score, not trained again$");
            } else {
                assertThat(candidate.sameNetworkAs()).as("#%d", candidate.index()).isEmpty();
            }
        }
        assertThat(plan.candidates()).filteredOn(c -> c.sameNetworkAs().isPresent()).hasSize(3);
    }

    @Test
    void aBudgetBetweenCandidatesSplitsThem() {
        List<PlannedCandidate> all = planner(MemoryBudget.unlimited()).plan(SPACE, new SearchStrategy.Grid(2), 100)
                .candidates();
        long smallest = all.stream().mapToLong(PlannedCandidate::estimatedBytes).min().orElseThrow();
        long largest = all.stream().mapToLong(PlannedCandidate::estimatedBytes).max().orElseThrow();
        MemoryBudget budget = new MemoryBudget((smallest + largest) / 2);

        SearchPlan plan = planner(budget).plan(SPACE, new SearchStrategy.Grid(2), 100);

        assertThat(plan.candidates()).filteredOn(PlannedCandidate::fits).isNotEmpty()
                .allSatisfy(c -> assertThat(c.estimatedBytes()).isLessThanOrEqualTo(budget.bytes()));
        assertThat(plan.candidates()).filteredOn(c -> c.fit() == BudgetFit.OVER_BUDGET).isNotEmpty()
                .allSatisfy(c -> {
                    assertThat(c.estimatedBytes()).isGreaterThan(budget.bytes());
                    assertThat(c.message()).startsWith("needs ").endsWith("budget " + budget);
                });
        assertThat(plan.smallerBatch()).isEmpty();
        String table = plan.table();
        assertThat(table.lines()).hasSize(1 + 9);
        assertThat(table).contains("budget " + budget).contains("does not fit").containsPattern("(?m) fits$")
                .doesNotContain("upsample").doesNotContain("attn");
    }

    /** Candidates under the budget but over the native memory limit beside what the process holds are named. */
    @Test
    void candidatesThatFitTheBudgetButNotTheNativeLimitAreNamedWithTheRoomLeft() {
        SearchPlan plan = planner(MemoryBudget.unlimited()).plan(SPACE, new SearchStrategy.Grid(2), 100);
        List<Long> sizes = plan.candidates().stream().map(PlannedCandidate::estimatedBytes).sorted().toList();
        long used = 1L << 20;
        long limit = used + sizes.get(0); // the smallest fits exactly beside what is held
        long larger = sizes.stream().filter(size -> size > sizes.get(0)).count();
        PlannedCandidate largest = plan.candidates().stream()
                .max(java.util.Comparator.comparingLong(PlannedCandidate::estimatedBytes)).orElseThrow();

        assertThat(plan.nativeLimitWarning(used, limit, "--budget")).hasValueSatisfying(warning -> assertThat(warning)
                .contains(larger + " of the 9 candidates that fit the budget", "native memory limit of "
                        + MemoryBudget.format(limit), "beside the 1.0 MiB it holds", "largest: #" + largest.index(),
                        "Lower --budget to " + ((limit - used) >> 20) + "m",
                        "-Dorg.bytedeco.javacpp.maxphysicalbytes"));
        assertThat(plan.nativeLimitWarning(used, used + sizes.get(8), "--budget")).as("all fit").isEmpty();
        assertThat(plan.nativeLimitWarning(used, 0, "--budget")).as("no limit").isEmpty();
        assertThat(planner(new MemoryBudget(sizes.get(0))).plan(SPACE, new SearchStrategy.Grid(2), 100)
                .nativeLimitWarning(used, limit, "--budget")).as("over the budget is not named twice").isEmpty();
    }

    @Test
    void whenNothingFitsThePlanNamesTheSmallestAndABatchSizeAtWhichItWould() {
        List<PlannedCandidate> all = planner(MemoryBudget.unlimited()).plan(SPACE, new SearchStrategy.Grid(2), 100)
                .candidates();
        PlannedCandidate smallest = all.stream().min(Comparator.comparingLong(PlannedCandidate::estimatedBytes))
                .orElseThrow();
        UNetConfig smallestConfig = smallest.values().applyTo(base());
        long atBatchTwo = ESTIMATOR.estimate(smallestConfig, 2).total();
        MemoryBudget budget = new MemoryBudget(atBatchTwo);

        SearchPlan plan = planner(budget).plan(SPACE, new SearchStrategy.Grid(2), 100);

        assertThat(plan.fitting()).isEmpty();
        assertThat(plan.smallerBatch()).contains(new SearchPlan.SmallerBatch(smallest.index(), 2, atBatchTwo));
        assertThat(plan.summary()).startsWith("0 of 9 candidates fit the budget of " + budget + " at batch size 4;"
                + " the smallest, #" + smallest.index()).endsWith("At batch size 2 it needs "
                + MemoryBudget.format(atBatchTwo) + " and fits.");

        SearchPlan hopeless = planner(new MemoryBudget(1)).plan(SPACE, new SearchStrategy.Grid(2), 100);
        assertThat(hopeless.smallerBatch()).isEmpty();
        assertThat(hopeless.summary()).endsWith("It does not fit even at batch size 1: raise the budget or lower the"
                + " input size.");
    }

    @Test
    void estimatesOutsideTheCalibrationAreMarkedAndTheirNotesListedOnce() {
        SearchSpace withAttention = SearchSpace.defaults().withMidChannelScales(1.0)
                .withReductions(List.of(ChannelReduction.HALVE)).withMidAttention(List.of(false, true));
        SearchPlan plan = planner(MemoryBudget.unlimited()).plan(withAttention, new SearchStrategy.Grid(2), 100);

        assertThat(plan.candidates()).hasSize(2);
        PlannedCandidate plain = plan.candidates().stream().filter(c -> !c.values().midAttention()).findFirst()
                .orElseThrow();
        PlannedCandidate attention = plan.candidates().stream().filter(c -> c.values().midAttention()).findFirst()
                .orElseThrow();
        assertThat(plain.calibrationNotes()).isEmpty();
        assertThat(attention.calibrationNotes()).singleElement().asString()
                .startsWith("mid attention is outside the calibration");
        String table = plan.table();
        assertThat(table).contains(MemoryBudget.format(attention.estimatedBytes()) + "*")
                .doesNotContain(MemoryBudget.format(plain.estimatedBytes()) + "*")
                .contains("* estimated outside the memory calibration, or raised for an error it measured:\n  #"
                        + attention.index()
                        + ": mid attention is outside the calibration: the estimate was 15.8% below the measurement");
    }

    /**
     * A limit below the grid's size kept the grid's first points (pixel shuffle, no attention) and said "9 of 9": the
     * upsampling and attention asked for were never tried, and the table hid their columns.
     */
    @Test
    void aLimitThatCutsTheGridSaysHowMuchAndWhatItLeavesOut() {
        SearchSpace wide = SPACE.withUpsampleModes(List.of(new UpsampleMode.PixelShuffle(false),
                new UpsampleMode.Bilinear())).withMidAttention(List.of(false, true));

        SearchPlan cut = planner(MemoryBudget.unlimited()).plan(wide, new SearchStrategy.Grid(2), 9);

        assertThat(cut.candidates()).hasSize(9);
        assertThat(cut.coverage()).isEqualTo(new SearchPlan.Coverage(new CandidateCount(9, 36), true,
                List.of("upsample bilinear", "mid attention true")));
        assertThat(cut.summary("--candidates")).isEqualTo("9 of 9 candidates fit the budget of unlimited at batch"
                + " size 4. The candidate limit (--candidates 9) keeps the first 9 of the grid's 36 points, so these"
                + " are never tried: upsample bilinear; mid attention true; --candidates 36 covers the grid.");
        assertThat(cut.table().lines().findFirst().orElseThrow()).contains("upsample", "attn");

        SearchPlan whole = planner(MemoryBudget.unlimited()).plan(wide, new SearchStrategy.Grid(2), 36);
        assertThat(whole.coverage().cut()).isFalse();
        assertThat(whole.coverage().untried()).isEmpty();
        assertThat(whole.summary()).isEqualTo("36 of 36 candidates fit the budget of unlimited at batch size 4.");
        assertThat(whole.candidates()).extracting(c -> c.values().upsample().name() + "/" + c.values().midAttention())
                .contains("pixelShuffle/false", "bilinear/false", "pixelShuffle/true", "bilinear/true");
    }

    /** A random search draws some of the space: the plan says how many of how many, and the values never drawn. */
    @Test
    void aRandomSearchSaysHowMuchOfTheSpaceItDraws() {
        SearchPlan plan = planner(MemoryBudget.unlimited()).plan(SPACE, new SearchStrategy.Random(3), 2);

        assertThat(plan.coverage().available()).isEqualTo(9);
        assertThat(plan.coverage().grid()).isFalse();
        assertThat(plan.summary()).contains(" The random search draws 2 of the space's 9 distinct candidates"
                + " (maxCandidates 2); never drawn: mid scale ");
    }

    /**
     * The plan marks a candidate whose encoder or input size the calibration never measured, and one whose encoder it
     * measured above the fit (raised); once, none of them carried a note.
     */
    @Test
    void candidatesOfAnUncalibratedEncoderOrSizeOrARaisedEstimateAreMarked() {
        UNetConfig smallInput = base().withInput(new ImageShape(3, 48, 48));
        PlannedCandidate small = new CandidatePlanner(smallInput, BATCH, MemoryBudget.unlimited(), ESTIMATOR)
                .assess(0, new CandidateValues(1.0, ChannelReduction.EQ_SKIP, new UpsampleMode.PixelShuffle(false),
                        false));

        assertThat(small.calibrationNotes()).singleElement().asString().startsWith("input 48 x 48 is outside the"
                + " sizes classic encoders were calibrated at on DL4J's stock layers (64 to 192 px square)");
        SearchPlan plan = new CandidatePlanner(smallInput, BATCH, MemoryBudget.unlimited(), ESTIMATOR)
                .plan(SPACE, new SearchStrategy.Grid(2), 100);
        assertThat(plan.table()).contains(MemoryBudget.format(small.estimatedBytes()) + "*")
                .contains("  #0, #1, #2, #3, #4, #5, #6, #7, #8: input 48 x 48 is outside");
    }

    @Test
    void aBudgetThatCannotJudgeTheBasesDataTypeIsRefusedWhenTheSearchIsBuilt() {
        assertThatThrownBy(() -> UNetSearch.builder().baseConfig(base().withDataType(DataType.DOUBLE))
                .budget(MemoryBudget.parse("24g")).data(SearchFixtures.iterator(4, 32, 4, 1),
                        SearchFixtures.iterator(4, 32, 4, 2)).outputDirectory(Path.of("unused")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the memory budget of 24.0 GiB cannot judge the estimate of a DOUBLE network:"
                        + " DOUBLE is not calibrated");
    }

    @Test
    void aConfigurationThatCannotBeBuiltIsInvalidNotAnError() {
        UNetConfig tooSmall = base().withInput(new ImageShape(3, 2, 2));
        PlannedCandidate planned = new CandidatePlanner(tooSmall, BATCH, MemoryBudget.unlimited(), ESTIMATOR)
                .assess(0, new CandidateValues(1.0, ChannelReduction.EQ_SKIP,
                        new UpsampleMode.PixelShuffle(false), false));

        assertThat(planned.fit()).isEqualTo(BudgetFit.INVALID);
        assertThat(planned.message()).startsWith("invalid configuration: ");
    }

    @Test
    void plannerValidatesItsFields() {
        assertThatThrownBy(() -> new CandidatePlanner(base(), 0, MemoryBudget.unlimited(), ESTIMATOR))
                .hasMessage("CandidatePlanner.batchSize must be >= 1 but was 0");
    }
}
