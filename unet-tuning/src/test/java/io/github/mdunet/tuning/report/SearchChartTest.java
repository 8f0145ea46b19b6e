package io.github.mdunet.tuning.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.tuning.candidate.CandidateResult;
import io.github.mdunet.tuning.candidate.CandidateStatus;
import io.github.mdunet.tuning.candidate.CandidateValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchChartTest {

    /**
     * The chart is replaced, never rewritten in place: a hard link to the old search.png keeps the old bytes (a
     * write in place shows the new ones through it, and a kill midway leaves half a picture).
     */
    @Test
    void theChartIsReplacedAtomically(@TempDir Path dir) throws IOException {
        Path png = Files.writeString(dir.resolve("search.png"), "old chart");
        Path oldChart = Files.createLink(dir.resolve("old.png"), png);
        CandidateResult complete = new CandidateResult(0, new CandidateValues(1.0, ChannelReduction.EQ_SKIP,
                new UpsampleMode.PixelShuffle(false), false), 1L << 20, 10, 0.5, 1.0, CandidateStatus.COMPLETE, "");

        SearchChart.write(png, List.of(complete), 1L << 30, Optional.of(complete), "validation mean IoU");

        assertThat(Files.readAllBytes(oldChart)).isEqualTo("old chart".getBytes(StandardCharsets.US_ASCII));
        assertThat(Files.readAllBytes(png)).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(dir).isDirectoryNotContaining("glob:**.partial");
    }
}
