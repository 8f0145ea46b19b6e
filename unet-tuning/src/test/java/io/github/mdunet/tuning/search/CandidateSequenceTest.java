package io.github.mdunet.tuning.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.config.ChannelReduction;
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
        assertThat(CandidateSequence.length(THREE_SCALES, new SearchStrategy.Grid(2), 100)).isEqualTo(9);
        List<CandidateValues> random = CandidateSequence.of(THREE_SCALES, new SearchStrategy.Random(3), 12);
        assertThat(random).hasSize(12).isEqualTo(CandidateSequence.of(THREE_SCALES, new SearchStrategy.Random(3), 12));
        assertThat(random).extracting(CandidateValues::midChannelScale).isSubsetOf(0.5, 1.0, 2.0);
        assertThatThrownBy(() -> CandidateSequence.of(THREE_SCALES, new SearchStrategy.Grid(2), 0))
                .hasMessage("maxCandidates must be >= 1 but was 0");
    }
}
