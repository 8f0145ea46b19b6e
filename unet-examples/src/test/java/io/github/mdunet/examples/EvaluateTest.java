package io.github.mdunet.examples;

import static io.github.mdunet.examples.CommandLineErrorsTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.app.ExitCode;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.examples.CommandLineErrorsTest.Run;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** evaluate as a user meets it: its output folder, an earlier evaluation there, masks the model cannot read. */
class EvaluateTest {

    @TempDir
    Path directory;

    /** An untrained U-Net of 3 x 32 x 32 and 4 classes, saved. */
    private Path model() throws IOException {
        return model(4);
    }

    /** An untrained U-Net of 3 x 32 x 32 and {@code classes} classes, saved. */
    private Path model(int classes) throws IOException {
        Path file = directory.resolve("model-" + classes + ".zip");
        UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(2, 4, Normalization.BATCH))
                .input(new ImageShape(3, 32, 32)).numClasses(classes).seed(3).build()).save(file);
        return file;
    }

    /** Two 32 x 32 images with masks whose first row holds {@code firstRow} and the rest class 0. */
    private Path labelled(int... firstRow) throws IOException {
        Path root = directory.resolve("data");
        for (int i = 0; i < 2; i++) {
            ImageIO.write(new BufferedImage(32, 32, BufferedImage.TYPE_3BYTE_BGR), "png",
                    Files.createDirectories(root.resolve("images")).resolve(i + ".png").toFile());
            BufferedImage mask = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
            mask.getRaster().setSamples(0, 0, firstRow.length, 1, 0, firstRow);
            ImageIO.write(mask, "png", Files.createDirectories(root.resolve("masks")).resolve(i + ".png").toFile());
        }
        return root;
    }

    /**
     * Masks of ids 0 to 5 for a 4-class model: the fix said "give numClasses 5 or more", an option evaluate does not
     * have and a number too small. It names the largest id and what would read the masks.
     */
    @Test
    void masksWithIdsTheModelDoesNotPredictNameTheLargestIdAndTheModelThatWouldReadThem() throws IOException {
        Run run = run(new Evaluate(), "--model", model().toString(), "--data", labelled(0, 1, 4, 5, 4).toString(),
                "--output", directory.resolve("evaluation").toString());
        assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.BAD_DATA.code());
        assertThat(run.err()).contains("masks/0.png: class ids 4 and 5 outside 0..3, 3 pixels (2 of id 4, 1 of id"
                        + " 5), first at x=2, y=0; the model predicts 4 classes (ids 0 to 3): use a model trained with"
                        + " --classes 6 or more, or --mask-ignore 4,5 if they mark pixels to leave out")
                .doesNotContain("numClasses").doesNotContain("\tat ");
    }

    /**
     * Binary masks stored as 0/255 for a 2-class model: the fix named first reads 255 as class 1 (--mask-ignore 255
     * would score the background alone), and --mask-values then evaluates them.
     */
    @Test
    void binaryMasksStoredAsZeroAnd255NameMaskValuesFirstAndAreReadWithIt() throws IOException {
        Path model = model(2);
        String data = labelled(0, 255, 255).toString();
        Run refused = run(new Evaluate(), "--model", model.toString(), "--data", data, "--output",
                directory.resolve("evaluation").toString());
        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(ExitCode.BAD_DATA.code());
        assertThat(refused.err()).contains("masks/0.png: class id 255 outside 0..1, 2 pixels, first at x=1, y=0; the"
                        + " model predicts 2 classes (ids 0 to 1), and it looks like a binary mask stored as 0/255, so"
                        + " read 255 as class 1: --mask-values 0=0,255=1; or, if 255 is a class id, use a model"
                        + " trained with --classes 256 or more")
                .doesNotContain("--mask-ignore");
        Run read = run(new Evaluate(), "--model", model.toString(), "--data", data, "--output",
                directory.resolve("evaluation").toString(), "--worst", "0", "--mask-values", "0=0,255=1");
        assertThat(read.exitCode()).as(read.all()).isZero();
        assertThat(read.out()).contains("mean IoU: ");
    }

    /** evaluate replaced an earlier evaluation's files without a word, where predict names those it replaces. */
    @Test
    void anEarlierEvaluationInTheOutputFolderIsNamedAsItIsReplaced() throws IOException {
        String[] args = {"--model", model().toString(), "--data", labelled(0, 1, 2, 3).toString(), "--output",
            directory.resolve("evaluation").toString(), "--worst", "1"};
        Run first = run(new Evaluate(), args);
        assertThat(first.exitCode()).as(first.all()).isZero();
        assertThat(first.out()).doesNotContain("replacing");
        Run again = run(new Evaluate(), args);
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(again.out()).contains("note: replacing 7 file(s) of an earlier run in "
                + directory.resolve("evaluation").toAbsolutePath() + ": evaluation.txt, per-class.csv,"
                + " confusion-matrix.csv, confusion-matrix.png, per-image.csv, evaluation.html, ...");
    }

    /** An --output that is a file was found only after all the work, with a stack trace. */
    @Test
    void anOutputThatIsAFileIsABadOptionBeforeAnythingIsRead() throws IOException {
        Path file = Files.writeString(directory.resolve("afile"), "");
        Run run = run(new Evaluate(), "--model", directory.resolve("no-model.zip").toString(), "--data",
                directory.resolve("no-data").toString(), "--output", file.toString());
        assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(run.err()).contains("--output " + file + " is a file, not a folder", "Usage: evaluate")
                .doesNotContain("\tat ");
    }
}
