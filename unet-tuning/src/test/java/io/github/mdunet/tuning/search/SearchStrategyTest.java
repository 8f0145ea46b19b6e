package io.github.mdunet.tuning.search;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SearchStrategyTest {

    @Test
    void aGridNeedsTwoScaleValues() {
        assertThatThrownBy(() -> new SearchStrategy.Grid(1))
                .hasMessageContaining("Grid.scaleSteps must be >= 2 but was 1")
                .hasMessageContaining("equal minimum and maximum");
    }
}
