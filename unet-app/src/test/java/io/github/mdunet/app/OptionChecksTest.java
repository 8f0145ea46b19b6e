package io.github.mdunet.app;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The checks the apps share, as a user's option meets them. */
class OptionChecksTest {

    @Command(name = "app")
    static final class App {
    }

    /** An --output that was a file once ended in a stack trace, after all the app's work. */
    @Test
    void anOutputFolderThatIsAFileOrInsideOneIsABadOptionNamingIt(@TempDir Path directory) throws IOException {
        CommandLine command = new CommandLine(new App());
        Path file = Files.writeString(directory.resolve("notes"), "a file");
        assertThatThrownBy(() -> OptionChecks.outputFolder(command, "--output", file))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--output " + file + " is a file, not a folder: give a folder (it is made when missing)");
        assertThatThrownBy(() -> OptionChecks.outputFolder(command, "--out", file.resolve("run")))
                .hasMessage("--out " + file.resolve("run") + ": " + file + " is a file, not a folder: give a folder"
                        + " (it is made when missing)");
        assertThatCode(() -> OptionChecks.outputFolder(command, "--output", directory.resolve("new/run")))
                .doesNotThrowAnyException();
        assertThatCode(() -> OptionChecks.outputFolder(command, "--output", directory)).doesNotThrowAnyException();
    }
}
