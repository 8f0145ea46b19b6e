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

    /** Binary masks stored as 0/255 are read with --mask-values; --mask-ignore then names grey values. */
    @Test
    void maskValuesMapGreyValuesToClassIds() {
        assertThat(encodingOf("--mask-values", "0=0,255=1")).isEqualTo(MaskEncoding.ValueMap.binary255());
        assertThat(encodingOf("--mask-values", "0=0, 128=1,255=2", "--mask-ignore", "64"))
                .isEqualTo(new MaskEncoding.ValueMap(Map.of(0, 0, 128, 1, 255, 2), Set.of(64)));
        assertThat(refusal("--mask-values", "0=0,255")).contains("Invalid value for option '--mask-values':"
                + " '255' is not an entry VALUE=ID (a grey value 0-255 of the masks, then its class id), e.g."
                + " 0=0,255=1");
        assertThat(refusal("--mask-values", "0=0,256=1")).contains("'256=1': grey value 256 is not in 0-255");
        assertThat(refusal("--mask-values", "0=0,255=1,255=2")).contains("grey value 255 is given twice (class 1"
                + " and class 2); a value names one class");
        assertThat(refusal("--mask-values", "0=0,255=3")).contains("--mask-values maps grey value 255 to class 3,"
                + " but there are 3 classes (ids 0 to 2): give 4 classes or fix the map");
        assertThat(refusal("--mask-values", "0=0,255=1", "--mask-ignore", "255")).contains("--mask-ignore 255:"
                + " --mask-values maps grey value 255 to class 1; a value is either a class or ignored");
        assertThat(refusal("--mask-values", "0=0,255=1", "--mask-ignore", "300")).contains("--mask-ignore '300'"
                + " is not a grey value 0-255: with --mask-values the masks are 8-bit greyscale PNGs");
    }

    /** Pascal VOC's indexed PNGs: the palette index is the class id; --mask-ignore names indices. */
    @Test
    void maskPaletteIndicesReadIndicesAsClassIds() {
        assertThat(encodingOf("--mask-palette-indices")).isEqualTo(new MaskEncoding.PaletteIndices());
        assertThat(encodingOf("--mask-palette-indices", "--mask-ignore", "255"))
                .isEqualTo(MaskEncoding.PaletteIndices.pascalVoc());
    }

    @Test
    void twoEncodingsAreExclusiveAndSaidSo() {
        assertThat(refusal("--mask-values", "0=0,255=1", "--mask-palette", "0=#000000,1=#FFFFFF")).contains(
                "--mask-values and --mask-palette are exclusive: each says what the masks' pixels are (--mask-values:"
                        + " grey values mapped to class ids; --mask-palette: colours mapped to class ids): give the"
                        + " one that fits the masks");
        assertThat(refusal("--mask-palette-indices", "--mask-palette", "0=#000000")).contains(
                "--mask-palette-indices and --mask-palette are exclusive");
        assertThat(refusal("--mask-values", "0=0", "--mask-palette-indices")).contains(
                "--mask-values and --mask-palette-indices are exclusive");
    }

    /** The help once said "Default: every pixel counts. Default: []". */
    @Test
    void helpGivesEachDefaultOnce() {
        CommandLine app = new CommandLine(new MaskApp());
        app.getCommandSpec().usageMessage().showDefaultValues(true); // as every app's help (AppCommand)
        String help = app.getUsageMessage().replaceAll("\\s+", " ");
        assertThat(help).contains("as PyTorch's ignore_index. Default: every pixel counts. --mask-palette",
                        "--mask-values=VALUE=ID,... Greyscale masks whose grey values (0-255) map to class ids",
                        "--mask-palette-indices Indexed-colour (palette) PNG masks")
                .doesNotContain("Default: []").doesNotContain("Default: null").doesNotContain("Default: false");
    }
}
