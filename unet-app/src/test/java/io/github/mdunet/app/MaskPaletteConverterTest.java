package io.github.mdunet.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
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

    /** A command that only checks its folder options, as every app that trains on a folder does first. */
    @CommandLine.Command(name = "folder-app")
    static final class FolderApp implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        SegmentationFolderOptions folder = new SegmentationFolderOptions();

        @Override
        public Integer call() {
            folder.check(spec.commandLine(), 2);
            return 0;
        }
    }

    @Test
    void aClassIdBeyondTheClassesIsABadOptionNamingTheColourAndTheFix() {
        StringWriter err = new StringWriter();
        int exit = CommandLines.of(new FolderApp()).setErr(new PrintWriter(err, true))
                .execute("--mask-palette", "0=#000000,1=#FF0000,3=#00FF00");
        assertThat(exit).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(err.toString()).contains("--mask-palette maps colour #00FF00 to class 3, but there are 2 classes"
                + " (ids 0 to 1): give 4 classes or fix the palette", "Usage: folder-app").doesNotContain("\tat ");
        assertThat(CommandLines.of(new FolderApp()).execute("--mask-palette", "0=#000000,1=#FF0000")).isZero();
    }
}
