package io.github.mdunet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The generator command on a tiny dataset: folders written, class shares printed, bad sizes refused by name. */
class GenerateBenchmarkDataTest {

    @TempDir
    Path directory;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new GenerateBenchmarkData());
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int exit = command.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void writesBothSubsetsAndPrintsTheClassShares() {
        Path out = directory.resolve("bench");
        Run run = run("--out", out.toString(), "--train", "3", "--heldout", "2", "--width", "64", "--height", "48");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(out.resolve("train/images/train_00002.png")).isNotEmptyFile();
        assertThat(out.resolve("train/masks/train_00002.png")).isNotEmptyFile();
        assertThat(out.resolve("heldout/images/heldout_00001.png")).isNotEmptyFile();
        assertThat(out.resolve("heldout/masks/heldout_00001.png")).isNotEmptyFile();
        assertThat(run.out()).contains("Wrote 3 training and 2 held-out images of 64 x 48")
                .containsPattern("train +background \\d+\\.\\d%, grass \\d+\\.\\d%, cells \\d+\\.\\d%, waves")
                .containsPattern("heldout +background ")
                .contains("--classes 4");
    }

    /** A second run into the same --out would mix its files with the first's: a usage error, nothing written. */
    @Test
    void anOutFolderThatHoldsAnEarlierRunIsAUsageErrorNamingTheFolder() {
        Path out = directory.resolve("bench");
        assertThat(run("--out", out.toString(), "--train", "3", "--heldout", "2", "--width", "64", "--height", "48")
                .exit()).isZero();
        Run again = run("--out", out.toString(), "--train", "2", "--heldout", "0", "--width", "64", "--height", "48");
        assertThat(again.exit()).as(again.out()).isEqualTo(2);
        assertThat(again.err()).contains(out.resolve("train").toString(), "is not empty", "choose another --out");
        assertThat(out.resolve("train/images").toFile().list()).hasSize(3);
        assertThat(out.resolve("heldout/images").toFile().list()).hasSize(2);
    }

    /** The errors once named the config's fields ("TexturedScenesConfig.width"), and --out a file ended in a trace. */
    @Test
    void aBadOptionIsAUsageErrorNamingTheOption() throws java.io.IOException {
        java.nio.file.Path file = java.nio.file.Files.writeString(directory.resolve("afile"), "");
        String[][] cases = {
            {"--width", "8", "--width must be >= 32 but was 8 (the smallest objects must still cover a few pixels;"
                    + " default 128)"},
            {"--height", "31", "--height must be >= 32 but was 31"},
            {"--train", "0", "--train must be >= 1 but was 0"},
            {"--heldout", "-1", "--heldout must be >= 0 but was -1 (0 writes no held-out folder)"},
            {"--out", file.toString(), "--out " + file + " is a file, not a folder: give a folder"}};
        for (String[] option : cases) {
            Path out = directory.resolve("bench");
            Run run = option[0].equals("--out") ? run(option[0], option[1])
                    : run("--out", out.toString(), option[0], option[1]);
            assertThat(run.exit()).as(run.err()).isEqualTo(2);
            assertThat(run.err()).contains(option[2], "Usage: generate-benchmark-data")
                    .doesNotContain("TexturedScenesConfig").doesNotContain("\tat ");
            assertThat(out).doesNotExist();
        }
    }
}
