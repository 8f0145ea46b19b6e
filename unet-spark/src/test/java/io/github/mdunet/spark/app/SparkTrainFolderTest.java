package io.github.mdunet.spark.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.ExitCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark app's command line as a user meets it, like every other app's: checked before Spark starts. */
class SparkTrainFolderTest {

    @TempDir
    Path directory;

    /** What a run returned and wrote to its error stream. */
    record Run(int exitCode, String err) {
    }

    static Run run(String... args) {
        StringWriter err = new StringWriter();
        int exit = CommandLines.of(new SparkTrainFolder()).setErr(new PrintWriter(err, true)).execute(args);
        return new Run(exit, err.toString());
    }

    @Test
    void aBadOptionIsNamedWithTheUsageBeforeAnythingIsRead() {
        Run run = run("--data", directory.resolve("none").toString(), "--classes", "2", "--averaging-frequency", "0");
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(run.err()).contains("--averaging-frequency must be >= 1 but was 0", "Usage: spark-train-folder")
                .doesNotContain("\tat ");
    }

    @Test
    void aMissingDataFolderIsBadDataNamedWithoutAStackTrace() {
        Path missing = directory.resolve("no-such-folder");
        Run run = run("--data", missing.toString(), "--classes", "2", "--output", directory.resolve("out").toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.BAD_DATA.code());
        assertThat(run.err()).startsWith("spark-train-folder: segmentation dataset " + missing.resolve("images"))
                .doesNotContain("\tat ");
        assertThat(directory.resolve("out")).as("nothing written").doesNotExist();
    }

    @Test
    void helpShowsEachDefaultFromItsValue() {
        StringWriter out = new StringWriter();
        CommandLines.of(new SparkTrainFolder()).setOut(new PrintWriter(out, true)).execute("--help");
        assertThat(out.toString()).containsPattern("--averaging-frequency=<averagingFrequency>\\s+Batches each worker"
                + " fits between two averages\\.\\s+Default: 1\\R");
    }
}
