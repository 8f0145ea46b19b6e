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
}
