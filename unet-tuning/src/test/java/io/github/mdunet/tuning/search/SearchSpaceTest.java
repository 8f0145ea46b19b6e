package io.github.mdunet.tuning.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.tuning.candidate.CandidateValues;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {

    @Test
    void arbiterGridVisitsEveryCombination() {
        SearchSpace space = new SearchSpace(new MidChannelScales.Range(0.5, 1.5), List.of(ChannelReduction.values()),
                List.of(new UpsampleMode.PixelShuffle(false), new UpsampleMode.Bilinear()), List.of(false, true));
        GridSearchCandidateGenerator grid = new GridSearchCandidateGenerator(space.toParameterSpace(), 3,
                GridSearchCandidateGenerator.Mode.Sequential, null);
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < space.gridSize(3); i++) {
            keys.add(((CandidateValues) grid.getCandidate().getValue()).key());
        }
        assertThat(space.gridSize(3)).isEqualTo(36);
        assertThat(keys).hasSize(36);
    }

    /** A billion steps of the default range over three reductions was counted as -1,294,967,296 grid points. */
    @Test
    void aGridTooLargeToCountIsCountedAsIntegerMaxValueNotNegative() {
        assertThat(SearchSpace.defaults().gridSize(1_000_000_000)).isEqualTo(Integer.MAX_VALUE);
        assertThat(SearchSpace.defaults().gridSize(700_000_000)).isEqualTo(2_100_000_000);
    }

    /** Equal ends fix the scale: the count and Arbiter's grid both take it once, whatever the steps. */
    @Test
    void aRangeWithEqualEndsIsOneScaleForTheGridWhateverItsSteps() {
        SearchSpace fixed = SearchSpace.defaults().withMidChannelScale(1.5, 1.5);

        assertThat(fixed.midChannelScales()).isInstanceOfSatisfying(MidChannelScales.Range.class,
                range -> assertThat(range.fixed()).isTrue());
        assertThat(fixed.gridSize(5)).isEqualTo(3);
        assertThat(CandidateSequence.of(fixed, new SearchStrategy.Grid(5), 100)).hasSize(3)
                .extracting(CandidateValues::midChannelScale).containsOnly(1.5);
        assertThat(new MidChannelScales.Range(1.0, 1.5).fixed()).isFalse();
    }

    /** A repeated value would train the same networks twice under other indices; repeated scales were refused. */
    @Test
    void aRepeatedReductionUpsamplingModeOrAttentionSettingIsRefusedNamingTheField() {
        assertThatThrownBy(() -> SearchSpace.defaults().withReductions(List.of(ChannelReduction.EQ_SKIP,
                ChannelReduction.EQ_SKIP))).hasMessage("SearchSpace.reductions must not repeat a value (it would train"
                + " the same networks twice) but was [EQ_SKIP, EQ_SKIP]");
        assertThatThrownBy(() -> SearchSpace.defaults().withUpsampleModes(List.of(new UpsampleMode.Bilinear(),
                new UpsampleMode.Bilinear()))).hasMessageStartingWith("SearchSpace.upsampleModes must not repeat");
        assertThatThrownBy(() -> SearchSpace.defaults().withMidAttention(List.of(true, true)))
                .hasMessageStartingWith("SearchSpace.midAttention must not repeat");
        SearchSpace space = SearchSpace.defaults().withUpsampleModes(List.of(new UpsampleMode.PixelShuffle(false),
                        new UpsampleMode.PixelShuffle(true), new UpsampleMode.Bilinear()))
                .withMidAttention(List.of(false, true));
        assertThat(space.distinctCount()).isEqualTo(space.midChannelScales().distinctScales() * 3 * 3 * 2);
    }

    @Test
    void arbiterRandomSearchStaysInRangeAndRepeatsWithTheSeed() {
        SearchSpace space = SearchSpace.defaults().withMidChannelScale(0.3, 0.9);
        RandomSearchGenerator first = new RandomSearchGenerator(space.toParameterSpace(), null);
        first.setRngSeed(5);
        RandomSearchGenerator second = new RandomSearchGenerator(space.toParameterSpace(), null);
        second.setRngSeed(5);
        for (int i = 0; i < 20; i++) {
            CandidateValues a = (CandidateValues) first.getCandidate().getValue();
            CandidateValues b = (CandidateValues) second.getCandidate().getValue();
            assertThat(a.midChannelScale()).isBetween(0.3, 0.9);
            assertThat(a).isEqualTo(b);
        }
    }

    @Test
    void validationNamesTheField() {
        assertThatThrownBy(() -> SearchSpace.defaults().withMidChannelScale(0, 1))
                .hasMessage("MidChannelScales.Range.min must be in (0, 4.0] but was 0.0");
        assertThatThrownBy(() -> SearchSpace.defaults().withMidChannelScales(0.5, 5.0))
                .hasMessage("MidChannelScales.Values.values must each be in (0, 4.0] but [0.5, 5.0] holds 5.0");
        assertThatThrownBy(() -> SearchSpace.defaults().withMidChannelScales(1.0, 1.0))
                .hasMessage("MidChannelScales.Values.values must not repeat a scale but was [1.0, 1.0]");
        assertThatThrownBy(() -> SearchSpace.defaults().withMidChannelScales())
                .hasMessageStartingWith("MidChannelScales.Values.values must list at least one scale");
        assertThatThrownBy(() -> SearchSpace.defaults().withReductions(List.of()))
                .hasMessageStartingWith("SearchSpace.reductions must list at least one value");
        assertThatThrownBy(() -> UpsampleMode.parse("nearest")).hasMessageContaining("'nearest'")
                .hasMessageContaining("pixelShuffle");
    }
}
