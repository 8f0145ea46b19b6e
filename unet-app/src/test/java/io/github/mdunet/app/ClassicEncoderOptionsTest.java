package io.github.mdunet.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.encoder.ClassicEncoder;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The classic encoder's two options as an app takes them, checks them and hands them to a child process. */
class ClassicEncoderOptionsTest {

    @Command(name = "app")
    static final class App {
        @Mixin
        ClassicEncoderOptions encoder = new ClassicEncoderOptions(3, 16);
    }

    @Test
    void theAppsDefaultsUnlessGivenAndTheSameValuesForAChild() {
        App defaults = new App();
        new CommandLine(defaults).parseArgs();
        assertThat(defaults.encoder.encoder(Normalization.BATCH))
                .isEqualTo(new ClassicEncoder(3, 16, Normalization.BATCH));

        App given = new App();
        new CommandLine(given).parseArgs("--depth", "2", "--base-width", "8");
        assertThat(given.encoder.encoder(Normalization.NONE)).isEqualTo(new ClassicEncoder(2, 8, Normalization.NONE));
        App child = new App();
        new CommandLine(child).parseArgs(given.encoder.arguments().toArray(String[]::new));
        assertThat(child.encoder.arguments()).isEqualTo(given.encoder.arguments())
                .containsExactly("--depth", "2", "--base-width", "8");
    }

    @Test
    void anEncoderWithoutAStageOrAChannelIsAnOptionError() {
        for (String[] args : new String[][] {{"--depth", "0"}, {"--base-width", "0"}}) {
            App app = new App();
            CommandLine line = new CommandLine(app);
            line.parseArgs(args);
            assertThatThrownBy(() -> app.encoder.check(line)).isInstanceOf(CommandLine.ParameterException.class)
                    .hasMessage(args[0] + " must be >= 1 but was 0");
        }
    }
}
