package io.github.mdunet.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** A child's result line is picked out of its output, standard error included, and the rest kept as its log. */
@EnabledOnOs({OS.LINUX, OS.MAC})
class ChildOutputTest {

    @Test
    void keepsTheLastResultLineAndLogsTheOthers() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sh", "-c", "echo starting; echo 'PROBE measured=1'; echo warning >&2;"
                + " echo 'PROBE measured=2'").redirectErrorStream(true).start();

        ChildOutput output = ChildOutput.read(process, "PROBE ");

        assertThat(process.waitFor()).isZero();
        assertThat(output.result()).contains("PROBE measured=2");
        assertThat(output.log()).isEqualTo("starting\nwarning\n");
    }

    @Test
    void handsEachLogLineOnAsItComes() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sh", "-c", "echo one; echo 'PROBE measured=1'; echo two")
                .redirectErrorStream(true).start();
        List<String> shown = new ArrayList<>();

        ChildOutput output = ChildOutput.read(process, "PROBE ", shown::add);

        assertThat(process.waitFor()).isZero();
        assertThat(shown).containsExactly("one", "two");
        assertThat(output.log()).isEqualTo("one\ntwo\n");
    }

    @Test
    void readAllKeepsEveryLineAsTheLog() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sh", "-c", "echo one; echo 'PROBE measured=1'; echo two >&2")
                .redirectErrorStream(true).start();

        ChildOutput output = ChildOutput.readAll(process);

        assertThat(process.waitFor()).isZero();
        assertThat(output.result()).isEmpty();
        assertThat(output.log()).isEqualTo("one\nPROBE measured=1\ntwo\n");
    }

    @Test
    void overTheLimitKeepsTheStartAndTheEndAndSaysHowMuchIsLeftOut() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sh", "-c", "i=1; while [ $i -le 100 ]; do echo \"line $i\"; i=$((i+1));"
                + " done; echo 'the cause' >&2").redirectErrorStream(true).start();

        // 100 characters: up to 10 for the first lines, the rest (93) for the last ones
        ChildOutput output = ChildOutput.read(process, line -> false, line -> { }, 100);

        assertThat(process.waitFor()).isZero();
        // left out: "line 2\n" to "line 9\n" (8 x 7 characters) and "line 10\n" to "line 90\n" (81 x 8)
        assertThat(output.log()).isEqualTo("line 1\n... 704 characters left out ...\n"
                + "line 91\nline 92\nline 93\nline 94\nline 95\nline 96\nline 97\nline 98\nline 99\nline 100\n"
                + "the cause\n");
    }

    @Test
    void aLastLineLongerThanTheLimitKeepsItsEnd() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sh", "-c", "echo start; printf '%0200d' 0; echo ' the cause'")
                .redirectErrorStream(true).start();

        ChildOutput output = ChildOutput.read(process, line -> false, line -> { }, 100);

        assertThat(process.waitFor()).isZero();
        assertThat(output.log())
                .isEqualTo("start\n... 117 characters left out ...\n" + "0".repeat(83) + " the cause\n");
    }

    @Test
    void underTheLimitKeepsEveryLine() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sh", "-c", "echo one; echo two; echo three").redirectErrorStream(true)
                .start();

        ChildOutput output = ChildOutput.read(process, line -> false, line -> { }, 14);

        assertThat(process.waitFor()).isZero();
        assertThat(output.log()).isEqualTo("one\ntwo\nthree\n");
    }

    @Test
    void hasNoResultWhenNoLineStartsWithThePrefix() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sh", "-c", "echo failed; exit 3").redirectErrorStream(true).start();

        ChildOutput output = ChildOutput.read(process, "PROBE ");

        assertThat(process.waitFor()).isEqualTo(3);
        assertThat(output.result()).isEmpty();
        assertThat(output.log()).isEqualTo("failed\n");
    }
}
