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
    void hasNoResultWhenNoLineStartsWithThePrefix() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sh", "-c", "echo failed; exit 3").redirectErrorStream(true).start();

        ChildOutput output = ChildOutput.read(process, "PROBE ");

        assertThat(process.waitFor()).isEqualTo(3);
        assertThat(output.result()).isEmpty();
        assertThat(output.log()).isEqualTo("failed\n");
    }
}
