package io.github.mdunet.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.mdunet.app.MaskPaletteConverterTest.FolderApp;
import io.github.mdunet.data.SegmentationDataset;
import io.github.mdunet.data.stats.ClassFrequencies;
import io.github.mdunet.data.validate.DatasetValidationException;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The validation options of every app that trains on a folder: a split or a folder, said once. */
class SegmentationFolderOptionsTest {

    private static int run(StringWriter err, String... args) {
        return CommandLines.of(new FolderApp()).setErr(new PrintWriter(err, true)).execute(args);
    }

    /** Once, --validation-fraction was silently ignored beside --val-data. */
    @Test
    void aValidationFractionBesideAValidationFolderIsABadOption() {
        for (String fraction : new String[] {"0.3", "0.2"}) {
            StringWriter err = new StringWriter();
            int exit = run(err, "--val-data", "checked", "--validation-fraction", fraction);

            assertThat(exit).as(err.toString()).isEqualTo(ExitCode.BAD_OPTION.code());
            assertThat(err.toString()).contains("--validation-fraction " + fraction + " and --val-data checked both"
                    + " choose the validation images: give --val-data (a folder of its own) or --validation-fraction"
                    + " (a random split of --data), not both", "Usage: folder-app").doesNotContain("\tat ");
        }
    }

    @Test
    void eitherAloneIsAcceptedAndTheFractionKeepsItsDefault() {
        assertThat(run(new StringWriter(), "--val-data", "checked")).isZero();
        assertThat(run(new StringWriter(), "--validation-fraction", "0.3")).isZero();
        assertThat(run(new StringWriter())).isZero();
        StringWriter err = new StringWriter();
        assertThat(run(err, "--validation-fraction", "1")).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(err.toString()).contains("--validation-fraction must be in (0, 1) but was 1.0");
    }

    /**
     * Masks with ids 0 to 5 read for 4 classes: the fix once named the library's numClasses and the first stray id
     * (5, not enough); it names --classes and the largest id, and --mask-ignore for the stray ones.
     */
    @Test
    void classIdsBeyondTheClassesAreNamedWithTheClassesOptionAndTheLargestId(@TempDir Path root) throws IOException {
        for (int i = 0; i < 2; i++) {
            BufferedImage image = new BufferedImage(6, 4, BufferedImage.TYPE_3BYTE_BGR);
            ImageIO.write(image, "png", Files.createDirectories(root.resolve("images")).resolve(i + ".png").toFile());
            BufferedImage mask = new BufferedImage(6, 4, BufferedImage.TYPE_BYTE_GRAY);
            mask.getRaster().setSamples(0, 0, 6, 1, 0, new int[] {0, 1, 2, 3, 4, i == 0 ? 5 : 4});
            ImageIO.write(mask, "png", Files.createDirectories(root.resolve("masks")).resolve(i + ".png").toFile());
        }
        FolderApp app = new FolderApp();
        new CommandLine(app).parseArgs();

        assertThat(catchThrowableOfType(() -> app.folder.open(root, 4, 1),
                DatasetValidationException.class).getMessage())
                .contains("masks/0.png: class ids 4 and 5 outside 0..3, 2 pixels (1 of id 4, 1 of id 5), first at"
                        + " x=4, y=0; give --classes 6 or more, or --mask-ignore 4,5 if they mark pixels to leave out")
                .contains("masks/1.png: class id 4 outside 0..3, 2 pixels, first at x=4, y=0; give --classes 5 or"
                        + " more, or --mask-ignore 4 if it marks pixels to leave out")
                .doesNotContain("numClasses");
    }

    /**
     * Binary masks stored as 0/255 (ISIC, Carvana) for --classes 2: the advice was --mask-ignore 255, which left
     * every foreground pixel out. It names --mask-values first, which reads them.
     */
    @Test
    void aBinaryMaskStoredAsZeroAnd255IsReadWithMaskValues(@TempDir Path root) throws IOException {
        for (int i = 0; i < 2; i++) {
            ImageIO.write(new BufferedImage(32, 32, BufferedImage.TYPE_3BYTE_BGR), "png",
                    Files.createDirectories(root.resolve("images")).resolve(i + ".png").toFile());
            BufferedImage mask = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
            mask.getRaster().setSamples(0, 0, 32, 8, 0, filled(32 * 8, 255));
            ImageIO.write(mask, "png", Files.createDirectories(root.resolve("masks")).resolve(i + ".png").toFile());
        }
        FolderApp plain = new FolderApp();
        new CommandLine(plain).parseArgs();
        String message = catchThrowableOfType(() -> plain.folder.open(root, 2, 1), DatasetValidationException.class)
                .getMessage();
        assertThat(message).contains("masks/0.png: class id 255 outside 0..1, 256 pixels, first at x=0, y=0; it"
                        + " looks like a binary mask stored as 0/255, so read 255 as class 1: --mask-values 0=0,255=1;"
                        + " or, if 255 is a class id, give --classes 256 or more")
                .doesNotContain("--mask-ignore");

        FolderApp mapped = new FolderApp();
        new CommandLine(mapped).parseArgs("--mask-values", "0=0,255=1");
        SegmentationDataset dataset = mapped.folder.open(root, 2, 1);
        ClassFrequencies counted = ClassFrequencies.count(dataset.training(), mapped.folder.encoding(), 2);
        assertThat(counted.pixels()).containsExactly(32 * 24, 32 * 8);
    }

    /** Pascal VOC's indexed masks open with --mask-palette-indices; without it the refusal names that option. */
    @Test
    void indexedMasksAreReadByTheirIndicesWithMaskPaletteIndices(@TempDir Path root) throws IOException {
        byte[] red = new byte[256];
        red[1] = (byte) 0x80;
        IndexColorModel voc = new IndexColorModel(8, 256, red, new byte[256], new byte[256]);
        for (int i = 0; i < 2; i++) {
            ImageIO.write(new BufferedImage(32, 32, BufferedImage.TYPE_3BYTE_BGR), "png",
                    Files.createDirectories(root.resolve("images")).resolve(i + ".png").toFile());
            BufferedImage mask = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_INDEXED, voc);
            mask.getRaster().setSamples(0, 0, 32, 4, 0, filled(32 * 4, 1));
            mask.getRaster().setSamples(0, 4, 32, 1, 0, filled(32, 255));
            ImageIO.write(mask, "png", Files.createDirectories(root.resolve("masks")).resolve(i + ".png").toFile());
        }
        FolderApp plain = new FolderApp();
        new CommandLine(plain).parseArgs();
        assertThat(catchThrowableOfType(() -> plain.folder.open(root, 2, 1), DatasetValidationException.class)
                .getMessage()).contains("palette entry 1 is #800000", "--mask-palette-indices on the command line");

        FolderApp indices = new FolderApp();
        new CommandLine(indices).parseArgs("--mask-palette-indices", "--mask-ignore", "255");
        SegmentationDataset dataset = indices.folder.open(root, 2, 1);
        ClassFrequencies counted = ClassFrequencies.count(dataset.training(), indices.folder.encoding(), 2);
        assertThat(counted.pixels()).containsExactly(32 * 27, 32 * 4);
    }

    private static int[] filled(int length, int value) {
        int[] values = new int[length];
        Arrays.fill(values, value);
        return values;
    }
}
