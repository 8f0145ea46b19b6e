package io.github.mdunet.tuning.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.tuning.candidate.CandidateResult;
import io.github.mdunet.tuning.candidate.CandidateStatus;
import io.github.mdunet.tuning.candidate.CandidateValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsStoreTest {

    @Test
    void rowsSurviveAReload(@TempDir Path dir) throws Exception {
        CandidateResult complete = new CandidateResult(0, new CandidateValues(0.75, ChannelReduction.EQ_SKIP,
                new UpsampleMode.PixelShuffle(true), true), 123_456_789L, 4242, 0.8125, 12.5,
                CandidateStatus.COMPLETE, "");
        CandidateResult rejected = new CandidateResult(1, new CandidateValues(2.0, ChannelReduction.NONE,
                new UpsampleMode.Bilinear(), false), 9_000_000_000L, 99, Double.NaN, 0, CandidateStatus.REJECTED,
                "needs 8.4 GiB, budget \"1 GiB\", not trained");
        ResultsStore store = ResultsStore.load(dir.resolve("results.csv"));
        store.append("0a1b2c3d4e5f", complete);
        store.append("0a1b2c3d4e5f", rejected);

        ResultsStore reloaded = ResultsStore.load(dir.resolve("results.csv"));

        assertThat(reloaded.all()).hasSize(2);
        assertThat(reloaded.find("0a1b2c3d4e5f", complete.values())).contains(complete);
        assertThat(reloaded.find("ffffffffffff", complete.values())).as("another setup's result").isEmpty();
        CandidateResult back = reloaded.find("0a1b2c3d4e5f", rejected.values()).orElseThrow();
        assertThat(back.message()).isEqualTo(rejected.message());
        assertThat(back.score()).isNaN();
        assertThat(back.estimatedBytes()).isEqualTo(9_000_000_000L);
        assertThat(reloaded.find("0a1b2c3d4e5f", new CandidateValues(0.5, ChannelReduction.HALVE,
                new UpsampleMode.Bilinear(), false))).isEmpty();

        SearchChart.write(dir.resolve("chart.png"), List.of(complete, rejected), 1L << 30, Optional.of(complete),
                "validation mean IoU");
        assertThat(dir.resolve("chart.png")).exists().isNotEmptyFile();
        assertThat(ResultsTable.format(reloaded.all(), 0)).contains("REJECTED").contains("pixelShuffleBlur");
    }

    @Test
    void aHalfWrittenLastRowIsDroppedAndTheFileRepaired(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("results.csv");
        CandidateResult complete = new CandidateResult(0, new CandidateValues(0.5, ChannelReduction.EQ_SKIP,
                new UpsampleMode.Bilinear(), false), 1000, 10, 0.5, 1.0, CandidateStatus.COMPLETE, "");
        ResultsStore.load(csv).append("0a1b2c3d4e5f", complete);
        String whole = java.nio.file.Files.readString(csv);
        java.nio.file.Files.writeString(csv, whole + "1,2.000000,NONE,bili",
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);

        ResultsStore reloaded = ResultsStore.load(csv);
        assertThat(reloaded.all()).containsExactly(complete);
        assertThat(java.nio.file.Files.readString(csv)).isEqualTo(whole);
    }

    @Test
    void aFileOfTheFirstVersionIsReadWithItsRowsOfAnUnknownSetup(@TempDir Path dir) throws Exception {
        Path csv = java.nio.file.Files.writeString(dir.resolve("results.csv"), ResultsStore.HEADER_WITHOUT_SETUP + "\n"
                + "0,0.500000,EQ_SKIP,bilinear,false,1000,0.0,10,0.5,1.000,COMPLETE,\"\"\n");
        ResultsStore store = ResultsStore.load(csv);
        assertThat(store.rows()).singleElement().satisfies(row -> {
            assertThat(row.setup()).isEqualTo(ResultsStore.UNKNOWN_SETUP);
            assertThat(row.result().score()).isEqualTo(0.5);
        });
        assertThat(java.nio.file.Files.readAllLines(csv)).first().isEqualTo(ResultsStore.HEADER);
    }

    /**
     * A scale that two roundings would move (1.541549682: key 1.5415, but 1.541550 written with six decimals keys as
     * 1.5416) reads back with its key, so a resumed random search finds it.
     */
    @Test
    void aScaleReadsBackWithItsKey(@TempDir Path dir) {
        CandidateValues values = new CandidateValues(1.541549682, ChannelReduction.HALVE, new UpsampleMode.Bilinear(),
                false);
        CandidateResult complete = new CandidateResult(3, values, 1000, 10, 0.5, 1.0, CandidateStatus.COMPLETE, "");
        ResultsStore.load(dir.resolve("results.csv")).append("0a1b2c3d4e5f", complete);

        CandidateResult back = ResultsStore.load(dir.resolve("results.csv")).all().get(0);

        assertThat(back.values().key()).isEqualTo(values.key()).startsWith("1.5415|");
        assertThat(back.values().midChannelScale()).isEqualTo(1.541549682);
        assertThat(ResultsStore.load(dir.resolve("results.csv")).findComplete("0a1b2c3d4e5f", values))
                .contains(complete);
    }

    private static CandidateResult complete(int index, double scale) {
        return new CandidateResult(index, new CandidateValues(scale, ChannelReduction.EQ_SKIP,
                new UpsampleMode.PixelShuffle(false), false), 1000 + index, 10, 0.5, 1.0, CandidateStatus.COMPLETE, "");
    }

    /**
     * A write that failed part-way (a full disk) left a fragment without a line break; the next row joined it, and
     * the directory could no longer be resumed. The fragment is cut off again, and the row is not taken as recorded.
     */
    @Test
    void anAppendThatFailsPartWayLeavesNoFragment(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("results.csv");
        boolean[] fail = {false};
        ResultsStore store = ResultsStore.load(csv, (channel, row) -> {
            if (fail[0]) {
                row.limit(row.limit() / 2);
                ResultsStore.RowWriter.WHOLE.write(channel, row);
                throw new IOException("No space left on device");
            }
            ResultsStore.RowWriter.WHOLE.write(channel, row);
        });
        store.append("0a1b2c3d4e5f", complete(0, 0.5));
        String before = Files.readString(csv);

        fail[0] = true;
        assertThatThrownBy(() -> store.append("0a1b2c3d4e5f", complete(1, 1.0)))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("cannot append the row of candidate #1 to search results " + csv)
                .hasMessageEndingWith("No space left on device");
        assertThat(Files.readString(csv)).isEqualTo(before);
        assertThat(store.all()).containsExactly(complete(0, 0.5));

        fail[0] = false;
        store.append("0a1b2c3d4e5f", complete(2, 2.0));
        assertThat(ResultsStore.load(csv).all()).containsExactly(complete(0, 0.5), complete(2, 2.0));
    }

    /** Bytes after the last line break (a failed write whose cut failed too) are cut before the next row. */
    @Test
    void aFragmentAfterTheLastLineBreakIsCutOffBeforeTheNextRow(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("results.csv");
        ResultsStore store = ResultsStore.load(csv);
        store.append("0a1b2c3d4e5f", complete(0, 0.5));
        Files.writeString(csv, "1,1.0,EQ_SKIP,pixelSh", StandardOpenOption.APPEND);

        store.append("0a1b2c3d4e5f", complete(2, 2.0));

        assertThat(Files.readAllLines(csv)).hasSize(3).last().asString().startsWith("2,2.0,EQ_SKIP,pixelShuffle,");
        assertThat(ResultsStore.load(csv).all()).containsExactly(complete(0, 0.5), complete(2, 2.0));
    }

    /** A row with more fields than the header was read from its first 12: a wrong row, taken as a result. */
    @Test
    void aRowWithMoreFieldsThanTheHeaderIsRefusedNamingTheLine(@TempDir Path dir) throws IOException {
        String joined = "0,0.5,EQ_SKIP,bilinear,false,1000,0.0,10,0.5,1.000,COMPLETE,0a1b2c3d4e5f,1,1.0,HALVE,\"\"";
        Path csv = Files.writeString(dir.resolve("results.csv"), ResultsStore.HEADER + "\n" + joined + "\n");

        assertThatThrownBy(() -> ResultsStore.load(csv)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(csv + " line 2 is not a search result row: it has 15 fields before the quoted"
                        + " message, expected 12")
                .hasMessageEndingWith(joined + "; delete the line (its candidate is then tried again)");
    }
}
