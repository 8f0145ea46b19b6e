package io.github.mdunet.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DataParallelTest {

    @Test
    void refusesOneWorkerAndNamesTheAlternative() {
        assertThatThrownBy(() -> DataParallel.averaging(1))
                .hasMessageContaining("DataParallel.workers must be >= 2 but was 1")
                .hasMessageContaining("EpochFitter.sequential()");
    }

    @Test
    void refusesAnAveragingFrequencyBelowOneAndANegativePrefetch() {
        assertThatThrownBy(() -> DataParallel.averaging(2).withAveragingFrequency(0))
                .hasMessageContaining("averagingFrequency must be >= 1").hasMessageContaining("was 0");
        assertThatThrownBy(() -> DataParallel.averaging(2).withPrefetchBatches(-1))
                .hasMessageContaining("prefetchBatches must be >= 0").hasMessageContaining("was -1");
        assertThatThrownBy(() -> DataParallel.averaging(2).withMode(null)).hasMessageContaining("mode must be set");
    }

    @Test
    void describesItselfForTheLog() {
        assertThat(new ParallelFitter(DataParallel.averaging(2).withAveragingFrequency(3)).describe())
                .isEqualTo("2 workers, parameters and updater state averaged every 3 rounds");
        assertThat(new ParallelFitter(DataParallel.averaging(4).withMode(SyncMode.SHARED_GRADIENTS)).describe())
                .isEqualTo("4 workers, shared gradients");
    }
}
