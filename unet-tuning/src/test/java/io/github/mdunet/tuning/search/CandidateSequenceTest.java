package io.github.mdunet.tuning.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.tuning.candidate.CandidateValues;
import java.util.List;
import org.junit.jupiter.api.Test;

class CandidateSequenceTest {

    private static final SearchSpace THREE_SCALES = SearchSpace.defaults().withMidChannelScales(0.5, 1.0, 2.0);

    @Test
    void gridOverExplicitScalesTriesEachScaleWithEachReductionScaleFastest() {
        List<CandidateValues> grid = CandidateSequence.of(THREE_SCALES, new SearchStrategy.Grid(2), 100);

        assertThat(grid).extracting(v -> v.reduction() + "@" + v.midChannelScale()).containsExactly(
                "NONE@0.5", "NONE@1.0", "NONE@2.0",
                "HALVE@0.5", "HALVE@1.0", "HALVE@2.0",
                "EQ_SKIP@0.5", "EQ_SKIP@1.0", "EQ_SKIP@2.0");
    }

    @Test
    void theDefaultRangeInThreeStepsMissesTheRoundScales() {
        List<CandidateValues> grid = CandidateSequence.of(SearchSpace.defaults(), new SearchStrategy.Grid(3), 100);

        assertThat(grid).extracting(CandidateValues::midChannelScale).containsOnly(0.25, 1.125, 2.0);
        assertThat(grid).filteredOn(v -> v.reduction() == ChannelReduction.NONE)
                .extracting(CandidateValues::midChannelScale).contains(2.0);
    }

    @Test
    void theCandidateLimitCutsTheGridAndSetsARandomSearchsLength() {
        assertThat(CandidateSequence.of(THREE_SCALES, new SearchStrategy.Grid(2), 4)).hasSize(4);
        assertThat(CandidateCount.of(THREE_SCALES, new SearchStrategy.Grid(2), 100).planned()).isEqualTo(9);
        List<CandidateValues> random = CandidateSequence.of(THREE_SCALES, new SearchStrategy.Random(3), 5);
        assertThat(random).hasSize(5).isEqualTo(CandidateSequence.of(THREE_SCALES, new SearchStrategy.Random(3), 5));
        assertThat(random).extracting(CandidateValues::midChannelScale).isSubsetOf(0.5, 1.0, 2.0);
        assertThatThrownBy(() -> CandidateSequence.of(THREE_SCALES, new SearchStrategy.Grid(2), 0))
                .hasMessage("maxCandidates must be >= 1 but was 0");
    }

    /** Once, 9 random candidates of these 9 were 8 networks: a repeat took a slot and was "resumed". */
    @Test
    void aRandomSearchNeverDrawsACandidateTwiceAndStopsAtTheSpacesSize() {
        for (long seed = 1; seed <= 5; seed++) {
            List<CandidateValues> random = CandidateSequence.of(THREE_SCALES, new SearchStrategy.Random(seed), 9);
            assertThat(random).as("seed %d", seed).hasSize(9).extracting(CandidateValues::key).doesNotHaveDuplicates();
        }
        assertThat(CandidateCount.of(THREE_SCALES, new SearchStrategy.Random(1), 12).planned()).isEqualTo(9);
        assertThat(CandidateSequence.of(THREE_SCALES, new SearchStrategy.Random(1), 12)).hasSize(9)
                .extracting(CandidateValues::key).doesNotHaveDuplicates();

        // A range holds the scales its key tells apart (4 decimals): 1.0000, 1.0001, 1.0002 here.
        SearchSpace narrow = SearchSpace.defaults().withMidChannelScale(1.0, 1.0002)
                .withReductions(List.of(ChannelReduction.EQ_SKIP));
        assertThat(narrow.distinctCount()).isEqualTo(3);
        assertThat(CandidateSequence.of(narrow, new SearchStrategy.Random(1), 10)).extracting(CandidateValues::key)
                .containsExactlyInAnyOrder("1.0000|EQ_SKIP|pixelShuffle|false", "1.0001|EQ_SKIP|pixelShuffle|false",
                        "1.0002|EQ_SKIP|pixelShuffle|false");
        assertThat(SearchSpace.defaults().distinctCount()).isEqualTo(17_501 * 3);
    }
}
