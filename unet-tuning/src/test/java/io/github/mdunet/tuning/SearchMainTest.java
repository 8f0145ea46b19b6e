package io.github.mdunet.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.tuning.search.CandidateStatus;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SearchMainTest {

    @Test
    @Timeout(90)
    void runsARandomSearchFromTheCommandLine(@TempDir Path out) {
        SearchMain main = new SearchMain();
        int exit = new CommandLine(main).setCaseInsensitiveEnumValuesAllowed(true).execute("--encoder", "classic:2:4",
                "--size", "32", "--batch", "4", "--strategy", "random", "--max-candidates", "2", "--epochs", "1",
                "--train-examples", "8", "--validation-examples", "4", "--reductions", "halve,eq_skip",
                "--out", out.toString());

        assertThat(exit).isZero();
        assertThat(main.result.candidates()).hasSize(2).allSatisfy(c -> assertThat(c.status())
                .isEqualTo(CandidateStatus.COMPLETE));
        assertThat(out.resolve("results.csv")).exists();
        assertThat(out.resolve("search.png")).exists();
        assertThat(out.resolve("best-model.zip")).exists();
    }

    @Test
    void rejectsAnUnknownStrategyNamingIt(@TempDir Path out) {
        CommandLine line = new CommandLine(new SearchMain());
        java.io.StringWriter err = new java.io.StringWriter();
        line.setErr(new java.io.PrintWriter(err));
        int exit = line.execute("--strategy", "annealing", "--out", out.toString(), "--max-candidates", "1");

        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("--strategy must be grid or random but was 'annealing'");
    }

    /** Bad options: the message and the usage, exit 2, no stack trace, nothing written. */
    @Test
    void badOptionsAreNamedWithoutAStackTraceBeforeAnythingRuns(@TempDir Path out) {
        for (String[] args : new String[][] {{"--budget", "lots"}, {"--budget", "0"}, {"--encoder", "classic:x:4"},
                {"--epochs", "0"}, {"--batch", "0"}, {"--min-scale", "3", "--max-scale", "1"}}) {
            CommandLine line = new CommandLine(new SearchMain());
            java.io.StringWriter err = new java.io.StringWriter();
            line.setErr(new java.io.PrintWriter(err));
            String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                    java.util.stream.Stream.of("--out", out.resolve("search").toString())).toArray(String[]::new);
            int exit = line.execute(all);
            assertThat(exit).as("exit of %s: %s", String.join(" ", args), err).isEqualTo(2);
            assertThat(err.toString()).as(String.join(" ", args)).contains(args[0]).contains("Usage:")
                    .doesNotContain("\tat ");
        }
        assertThat(out.resolve("search")).doesNotExist();
    }

    @Test
    @Timeout(90)
    void nothingFittingTheBudgetExitsWithItsOwnStatus(@TempDir Path out) {
        int exit = new CommandLine(new SearchMain()).execute("--encoder", "classic:2:4", "--size", "32", "--budget",
                "1k", "--max-candidates", "2", "--out", out.toString());
        assertThat(exit).isEqualTo(SearchMain.NOTHING_FITS);
    }
}
