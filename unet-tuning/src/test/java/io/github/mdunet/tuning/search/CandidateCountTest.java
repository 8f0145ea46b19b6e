package io.github.mdunet.tuning.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.config.UpsampleMode;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The one place that says how many candidates a search plans, for each strategy, with and without a limit. */
class CandidateCountTest {

    /** 3 explicit scales x 3 reductions x 2 upsamplings x 2 attention settings: 36 grid points, 36 distinct. */
    private static final SearchSpace WIDE = SearchSpace.defaults().withMidChannelScales(0.5, 1.0, 2.0)
            .withUpsampleModes(List.of(new UpsampleMode.PixelShuffle(false), new UpsampleMode.Bilinear()))
            .withMidAttention(List.of(false, true));
    private static final SearchSpace NINE = SearchSpace.defaults().withMidChannelScales(0.5, 1.0, 2.0);
    private static final SearchSpace THREE = NINE.withMidChannelScales(1.0);

    @Test
    void aGridPlansItsWholeGridUnlessALimitCutsIt() {
        SearchStrategy grid = new SearchStrategy.Grid(2);

        assertThat(CandidateCount.of(WIDE, grid, OptionalInt.empty())).isEqualTo(new CandidateCount(36, 36))
                .satisfies(count -> assertThat(count.planned()).isEqualTo(36))
                .satisfies(count -> assertThat(count.cut()).isFalse());
        assertThat(CandidateCount.of(WIDE, grid, 9)).isEqualTo(new CandidateCount(9, 36))
                .satisfies(count -> assertThat(count.planned()).isEqualTo(9))
                .satisfies(count -> assertThat(count.cut()).isTrue());
        assertThat(CandidateCount.of(WIDE, grid, 100).planned()).isEqualTo(36);
        // A range's scale steps count for a grid; explicit scales ignore them.
        assertThat(CandidateCount.of(SearchSpace.defaults(), new SearchStrategy.Grid(4), OptionalInt.empty()))
                .isEqualTo(new CandidateCount(12, 12));
        assertThat(CandidateCount.of(NINE, new SearchStrategy.Grid(4), OptionalInt.empty()).planned()).isEqualTo(9);
    }

    @Test
    void aRandomSearchDrawsTheDefaultOrTheLimitButNoMoreThanTheSpaceHolds() {
        SearchStrategy random = new SearchStrategy.Random(1);

        assertThat(CandidateCount.of(WIDE, random, OptionalInt.empty()))
                .isEqualTo(new CandidateCount(CandidateCount.DEFAULT_RANDOM_CANDIDATES, 36))
                .satisfies(count -> assertThat(count.planned()).isEqualTo(9))
                .satisfies(count -> assertThat(count.cut()).isTrue());
        assertThat(CandidateCount.of(WIDE, random, 20).planned()).isEqualTo(20);
        assertThat(CandidateCount.of(THREE, random, OptionalInt.empty()))
                .isEqualTo(new CandidateCount(9, 3))
                .satisfies(count -> assertThat(count.planned()).isEqualTo(3))
                .satisfies(count -> assertThat(count.cut()).isFalse());
        assertThat(CandidateCount.of(SearchSpace.defaults(), random, OptionalInt.empty()).available())
                .isEqualTo(17_501 * 3);
    }

    /** What the plan, the sequence and the search cut at: the same number. */
    @Test
    void thePlanAndTheSequenceTakeTheirLengthFromTheCount() {
        for (SearchStrategy strategy : List.of(new SearchStrategy.Grid(2), new SearchStrategy.Random(5))) {
            for (int limit : new int[] {1, 9, 36, 50}) {
                CandidateCount count = CandidateCount.of(WIDE, strategy, limit);
                assertThat(CandidateSequence.of(WIDE, strategy, limit)).as("%s, limit %d", strategy, limit)
                        .hasSize(count.planned());
                SearchPlan.Coverage coverage = CandidatePlanner.coverage(WIDE, strategy, count,
                        CandidateSequence.of(WIDE, strategy, limit));
                assertThat(coverage.limit()).isEqualTo(limit);
                assertThat(coverage.available()).isEqualTo(36);
                assertThat(coverage.cut()).isEqualTo(limit < 36);
            }
        }
    }

    @Test
    void aLimitBelowOneIsRefusedNamingIt() {
        assertThatThrownBy(() -> CandidateCount.of(NINE, new SearchStrategy.Grid(2), 0))
                .hasMessage("maxCandidates must be >= 1 but was 0");
        assertThatThrownBy(() -> new CandidateCount(0, 9)).hasMessage("CandidateCount.limit must be >= 1 but was 0");
        assertThatThrownBy(() -> new CandidateCount(9, 0))
                .hasMessage("CandidateCount.available must be >= 1 but was 0");
        assertThatThrownBy(() -> CandidateCount.of(NINE, null, 9))
                .hasMessage("strategy must be set (one of Random, Grid) but was null");
    }
}
