package io.github.mdunet.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** SameDiff's op lines are dropped from standard output unless --verbose; everything else passes unchanged. */
class QuietConsoleTest {

    @Test
    void dropsSameDiffLinesAndKeepsTheRest() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = QuietConsole.filtered(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        out.println("U-Net with 12 parameters");
        out.println("Added differentiated op conv2d");
        out.print("Added differentiated op ");
        out.println("relu");
        out.println("mean IoU: 0.9700 – done");
        out.println("Added differentiated");
        out.flush();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(String.format(
                "U-Net with 12 parameters%nmean IoU: 0.9700 – done%nAdded differentiated%n"));
    }

    @Test
    void aPartialLineAppearsAtAFlushUnlessItMayBeNoise() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = QuietConsole.filtered(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        out.print("Continue? ");
        out.flush();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("Continue? ");
        out.print("yes");
        out.println();
        out.print("Added diff");
        out.flush();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(String.format("Continue? yes%n"));
    }

    @Test
    void verboseIsAnOptionOnlyBeforeTheEndOfOptions() {
        assertThat(QuietConsole.isVerbose(new String[] {"train", "--verbose", "--data", "d"})).isTrue();
        assertThat(QuietConsole.isVerbose(new String[] {"train", "--data", "d"})).isFalse();
        assertThat(QuietConsole.isVerbose(new String[] {"predict", "--", "--verbose"})).isFalse();
    }
}
