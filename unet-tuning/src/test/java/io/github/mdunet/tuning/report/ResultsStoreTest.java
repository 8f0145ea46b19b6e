package io.github.mdunet.tuning.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.tuning.search.CandidateResult;
import io.github.mdunet.tuning.search.CandidateStatus;
import io.github.mdunet.tuning.search.CandidateValues;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsStoreTest {

    @Test
    void rowsSurviveAReload(@TempDir Path dir) throws Exception {
        CandidateResult complete = new CandidateResult(0, new CandidateValues(0.75, ChannelReduction.EQ_SKIP,
                new UpsampleMode.PixelShuffle(true), true), 123_456_789L, 4242, 0.8125, 12.5, CandidateStatus.COMPLETE, "");
        CandidateResult rejected = new CandidateResult(1, new CandidateValues(2.0, ChannelReduction.NONE,
                new UpsampleMode.Bilinear(), false), 9_000_000_000L, 99, Double.NaN, 0, CandidateStatus.REJECTED,
                "needs 8.4 GiB, budget \"1 GiB\", not trained");
        ResultsStore store = ResultsStore.load(dir.resolve("results.csv"));
        store.append(complete);
        store.append(rejected);

        ResultsStore reloaded = ResultsStore.load(dir.resolve("results.csv"));

        assertThat(reloaded.all()).hasSize(2);
        assertThat(reloaded.find(complete.values())).contains(complete);
        CandidateResult back = reloaded.find(rejected.values()).orElseThrow();
        assertThat(back.message()).isEqualTo(rejected.message());
        assertThat(back.score()).isNaN();
        assertThat(back.estimatedBytes()).isEqualTo(9_000_000_000L);
        assertThat(reloaded.find(new CandidateValues(0.5, ChannelReduction.HALVE, new UpsampleMode.Bilinear(), false)))
                .isEmpty();

        SearchChart.write(dir.resolve("chart.png"), List.of(complete, rejected), 1L << 30, Optional.of(complete),
                "validation mean IoU");
        assertThat(dir.resolve("chart.png")).exists().isNotEmptyFile();
        assertThat(ResultsTable.format(reloaded.all(), 0)).contains("REJECTED").contains("pixelShuffleBlur");
    }
}
