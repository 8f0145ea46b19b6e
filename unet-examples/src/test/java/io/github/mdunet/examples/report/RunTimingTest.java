package io.github.mdunet.examples.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.train.EpochRecord;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The timing section splits this process's time, and shows a resumed run's earlier epochs apart. */
class RunTimingTest {

    /** Epochs 1 to {@code count} of {@code seconds} each. */
    private static List<EpochRecord> epochs(int count, double seconds) {
        return IntStream.rangeClosed(1, count)
                .mapToObj(epoch -> new EpochRecord(epoch, 0.5, Map.of("loss", 0.4), 1.0, seconds)).toList();
    }

    @Test
    void aRunStartedHereSplitsItsWholeTime() {
        Map<String, String> rows = new RunTiming(epochs(3, 20), 0, 75).rows();
        assertThat(rows).containsExactly(Map.entry("whole run", "1 min 15 s"),
                Map.entry("training and validation", "1 min 0 s over 3 epoch(s)"),
                Map.entry("mean epoch", "20.0 s"),
                Map.entry("data checks, evaluation and report", "15.0 s"));
    }

    /**
     * Resumed after epoch 8 of 10: this process trained epochs 9 and 10 (40 s) in its 50 s, so 10 s went to data
     * checks, evaluation and the report; the 8 earlier epochs' 160 s are an earlier run's, shown on their own line.
     */
    @Test
    void aResumedRunCountsOnlyItsOwnEpochsAndShowsTheEarlierOnesApart() {
        Map<String, String> rows = new RunTiming(epochs(10, 20), 8, 50).rows();
        assertThat(rows).containsExactly(Map.entry("whole run", "50.0 s (this process, resumed after epoch 8)"),
                Map.entry("training and validation", "40.0 s over 2 epoch(s)"),
                Map.entry("mean epoch", "20.0 s"),
                Map.entry("data checks, evaluation and report", "10.0 s"),
                Map.entry("earlier runs (resumed)", "2 min 40 s over epochs 1 to 8"));
    }

    @Test
    void moreEarlierEpochsThanTheHistoryHoldsAreRefused() {
        assertThatThrownBy(() -> new RunTiming(epochs(2, 20), 3, 30))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("earlierEpochs must be in [0, 2] (the history's epochs) but was 3");
    }
}
