package io.github.mdunet.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.app.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** --mask-palette, inline and from a file, and what a user reads when it is wrong. */
class MaskPaletteConverterTest {

    @TempDir
    Path directory;

    private final MaskPaletteConverter converter = new MaskPaletteConverter();

    @Test
    void readsInlineEntriesWithOrWithoutTheHash() {
        assertThat(converter.convert("0=#000000,1=ff0000, 2=#00FF00").idByRgb())
                .isEqualTo(Map.of(0x000000, 0, 0xFF0000, 1, 0x00FF00, 2));
    }

    @Test
    void readsAFileWithCommentsAndOneOrMoreEntriesALine() throws Exception {
        Path file = directory.resolve("palette.txt");
        Files.writeString(file, "# CamVid-like colours\n0=#000000\n\n1=#800000, 2=#008000\n");
        assertThat(converter.convert(file.toString()).idByRgb())
                .isEqualTo(Map.of(0x000000, 0, 0x800000, 1, 0x008000, 2));
    }

    @Test
    void namesTheBadEntryTheFileAndItsLine() throws Exception {
        Path file = directory.resolve("palette.txt");
        Files.writeString(file, "0=#000000\n1=red\n");
        assertThatThrownBy(() -> converter.convert(file.toString()))
                .isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("palette file " + file + ", line 2: '1=red' is not an entry ID=#RRGGBB");
        assertThatThrownBy(() -> converter.convert("0=#000000,1=#000000"))
                .hasMessageContaining("colour #000000 is given twice (class 0 and class 1)");
        assertThatThrownBy(() -> converter.convert("colours.txt"))
                .hasMessageContaining("'colours.txt' is neither a palette file nor an inline palette");
    }

    @Test
    void aClassIdBeyondTheClassesIsABadOptionBeforeAnyDataIsRead() {
        CommandLineErrorsTest.Run run = CommandLineErrorsTest.run(new TrainFolder(), "--data",
                directory.resolve("missing").toString(), "--classes", "2", "--output", directory.toString(),
                "--mask-palette", "0=#000000,1=#FF0000,3=#00FF00");
        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(run.err()).contains("--mask-palette maps colour #00FF00 to class 3, but there are 2 classes (ids 0"
                + " to 1): give 4 classes or fix the palette").doesNotContain("\tat ");
    }
}
