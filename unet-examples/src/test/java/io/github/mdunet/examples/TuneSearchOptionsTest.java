package io.github.mdunet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.app.ExitCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The search options that tune took over from the tuning module's former {@code SearchMain}: a random search over
 * given reductions, the scale range of {@code --scale-steps}, and the exit status when nothing fits.
 */
class TuneSearchOptionsTest {

    private static CommandLine tune(StringWriter err) {
        return new CommandLine(new Tune()).setCaseInsensitiveEnumValuesAllowed(true).setErr(new PrintWriter(err, true));
    }

    @Test
    @Timeout(120)
    void runsARandomSearchOverGivenReductionsFromTheCommandLine(@TempDir Path out) {
        StringWriter err = new StringWriter();
        int exit = tune(err).execute("--encoder", "classic:2:4", "--size", "32", "--batch", "4", "--strategy",
                "random", "--scale-steps", "3", "--min-scale", "0.5", "--max-scale", "1.5", "--candidates", "2",
                "--epochs", "1", "--images", "10", "--reductions", "halve,eq_skip", "--upsample", "pixelShuffle",
                "--attention", "false", "--output", out.toString());

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.resolve("search/results.csv")).exists();
        assertThat(out.resolve("search/search.png")).exists();
        assertThat(out.resolve("search/best-model.zip")).exists();
    }

    @Test
    void rejectsAnUnknownStrategyNamingIt(@TempDir Path out) {
        StringWriter err = new StringWriter();
        int exit = tune(err).execute("--strategy", "annealing", "--output", out.toString(), "--candidates", "1");

        assertThat(exit).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(err.toString()).contains("--strategy").contains("annealing");
    }

    /** A mask encoding for synthetic shapes, which have class-id masks, is refused by its own name. */
    @Test
    void aMaskEncodingWithoutDataIsRefusedNamingTheOption(@TempDir Path out) {
        for (String[] args : new String[][] {{"--mask-values", "0=0,255=1"}, {"--mask-palette-indices"},
                {"--mask-palette", "0=#000000"}}) {
            StringWriter err = new StringWriter();
            String[] all = Stream.concat(Arrays.stream(args), Stream.of("--output", out.resolve("search").toString()))
                    .toArray(String[]::new);
            assertThat(tune(err).execute(all)).isEqualTo(ExitCode.BAD_OPTION.code());
            assertThat(err.toString()).contains(args[0] + " applies to --data only; synthetic shapes have class-id"
                    + " masks: add --data FOLDER or drop " + args[0]);
        }
    }

    /** Bad options: the message and the usage, exit 2, no stack trace, nothing written. */
    @Test
    void badOptionsAreNamedWithoutAStackTraceBeforeAnythingRuns(@TempDir Path out) {
        for (String[] args : new String[][] {{"--budget", "lots"}, {"--budget", "0"}, {"--encoder", "classic:x:4"},
                {"--epochs", "0"}, {"--batch", "0"}, {"--min-scale", "3", "--max-scale", "1", "--scale-steps", "2"},
                {"--reductions", "quarter"}}) {
            StringWriter err = new StringWriter();
            String[] all = Stream.concat(Arrays.stream(args), Stream.of("--output", out.resolve("search").toString()))
                    .toArray(String[]::new);
            int exit = tune(err).execute(all);
            assertThat(exit).as("exit of %s: %s", String.join(" ", args), err).isEqualTo(2);
            assertThat(err.toString()).as(String.join(" ", args)).contains(args[0]).contains("Usage:")
                    .doesNotContain("\tat ");
        }
        assertThat(out.resolve("search")).doesNotExist();
    }

    @Test
    @Timeout(90)
    void nothingFittingTheBudgetExitsWithItsOwnStatus(@TempDir Path out) {
        int exit = tune(new StringWriter()).execute("--encoder", "classic:2:4", "--size", "32", "--budget", "1k",
                "--candidates", "2", "--images", "10", "--output", out.toString());
        assertThat(exit).isEqualTo(ExitCode.NOTHING_FITS.code());
    }
}
