package io.github.mdunet.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.data.image.MaskEncoding;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --mask-ignore}: values of class-id masks or colours of colour masks that count nowhere. */
class MaskFileOptionsTest {

    /** A command that checks its mask options and keeps the encoding they give. */
    @CommandLine.Command(name = "mask-app")
    static final class MaskApp implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        MaskFileOptions masks = new MaskFileOptions();

        MaskEncoding encoding;

        @Override
        public Integer call() {
            masks.check(spec.commandLine(), 3);
            encoding = masks.encoding();
            return 0;
        }
    }

    private static MaskEncoding encodingOf(String... args) {
        MaskApp app = new MaskApp();
        assertThat(CommandLines.of(app).execute(args)).isZero();
        return app.encoding;
    }

    private static String refusal(String... args) {
        StringWriter err = new StringWriter();
        int exit = CommandLines.of(new MaskApp()).setErr(new PrintWriter(err, true)).execute(args);
        assertThat(exit).as(err.toString()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(err.toString()).contains("Usage: mask-app").doesNotContain("\tat ");
        return err.toString();
    }

    @Test
    void ignoredValuesAndColoursReachTheEncoding() {
        assertThat(encodingOf()).isEqualTo(new MaskEncoding.ClassIds());
        assertThat(encodingOf("--mask-ignore", "255")).isEqualTo(new MaskEncoding.ClassIds(Set.of(255)));
        assertThat(encodingOf("--mask-ignore", "65535")).as("a 16-bit mask's white")
                .isEqualTo(new MaskEncoding.ClassIds(Set.of(65535)));
        assertThat(encodingOf("--mask-palette", "0=#000000,1=#800000", "--mask-ignore", "#E0E0C0,ffffff"))
                .isEqualTo(new MaskEncoding.Palette(Map.of(0x000000, 0, 0x800000, 1), Set.of(0xE0E0C0, 0xFFFFFF)));
    }

    @Test
    void entriesOfTheWrongKindOrMappedColoursAreBadOptionsNamingTheFix() {
        assertThat(refusal("--mask-ignore", "70000")).contains("--mask-ignore '70000' is not a mask value 0-65535:"
                + " class-id masks are greyscale PNGs (give e.g. 255); for colour masks give --mask-palette and"
                + " colours #RRGGBB");
        assertThat(refusal("--mask-ignore", "#E0E0C0")).contains("--mask-ignore '#E0E0C0' is not a mask value");
        assertThat(refusal("--mask-palette", "0=#000000", "--mask-ignore", "255")).contains("--mask-ignore '255' is"
                + " not a colour: with --mask-palette the masks are colour PNGs, so give colours #RRGGBB");
        assertThat(refusal("--mask-palette", "0=#000000,1=#FF0000", "--mask-ignore", "#ff0000")).contains(
                "--mask-ignore #ff0000: --mask-palette maps colour #FF0000 to class 1; a colour is either a class or"
                        + " ignored");
    }

    /** The help once said "Default: every pixel counts. Default: []". */
    @Test
    void helpGivesEachDefaultOnce() {
        CommandLine app = new CommandLine(new MaskApp());
        app.getCommandSpec().usageMessage().showDefaultValues(true); // as every app's help (AppCommand)
        String help = app.getUsageMessage().replaceAll("\\s+", " ");
        assertThat(help).contains("as PyTorch's ignore_index. Default: every pixel counts. --mask-palette")
                .doesNotContain("Default: []").doesNotContain("Default: null");
    }
}
