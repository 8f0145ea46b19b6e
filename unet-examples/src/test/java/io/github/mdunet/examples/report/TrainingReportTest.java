package io.github.mdunet.examples.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.train.EpochRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingReportTest {

    /** The last epochs of a one-cycle run once all read 0.000. */
    @Test
    void theEpochTableShowsSmallLearningRateFactorsAsTheyAre() {
        List<EpochRecord> history = List.of(
                new EpochRecord(1, 0.9, Map.of("loss", 0.8, "meanIoU", 0.5), 0.7512, 2.0),
                new EpochRecord(2, 0.5, Map.of("loss", 0.4), 4.0e-6, 2.25));

        assertThat(TrainingReport.epochRows(history)).containsExactly(
                List.of("1", "0.9000", "0.8000", "0.5000", "n/a", "0.751", "2.0"),
                List.of("2", "0.5000", "0.4000", "n/a", "n/a", "4.00e-06", "2.3"));
    }
}
