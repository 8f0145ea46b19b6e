package io.github.mdunet.examples;

import static io.github.mdunet.examples.CommandLineErrorsTest.run;
import static io.github.mdunet.examples.CommandLineErrorsTest.solid;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.app.ExitCode;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.model.TrainingRecord;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.predict.ImageFraming;
import io.github.mdunet.examples.CommandLineErrorsTest.Run;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** predict's options that only make sense in some settings, and its outputs beside its inputs. */
class PredictOptionsTest {

    @TempDir
    Path directory;

    /** An untrained U-Net of 3 x 32 x 32 and 3 classes, saved; stretched images recorded when {@code resize}. */
    private Path model(boolean resize) throws IOException {
        UNet unet = UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(2, 4, Normalization.BATCH))
                .input(new ImageShape(3, 32, 32)).numClasses(3).seed(3).build());
        Path file = directory.resolve(resize ? "resize.zip" : "tiles.zip");
        (resize ? unet.withTrainedFraming(ImageFraming.RESIZE) : unet).save(file);
        return file;
    }

    private Path images(String... names) throws IOException {
        Path folder = Files.createDirectories(directory.resolve("in"));
        for (String name : names) {
            solid(folder.resolve(name), 40, 36);
        }
        return folder;
    }

    /** Runs predict with {@code model} on one image, {@code in/a.png}, into {@code out}, with {@code options}. */
    private Run predictOneImage(Path model, String... options) throws IOException {
        return run(new Predict(), Stream.concat(Stream.of("--model", model.toString(), "--input",
                images("a.png").toString(), "--output", directory.resolve("out").toString()), Stream.of(options))
                .toArray(String[]::new));
    }

    @Test
    void workersAreRefusedWhereEveryImageIsOneStretchedTile() throws IOException {
        Run run = predictOneImage(model(true), "--workers", "2");
        assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(run.err()).contains("--workers 2 predicts an image's tiles on 2 model copies, but here each image"
                + " is stretched to the model's input, without tiles (as the model was trained: its file records"
                + " it): leave --workers out, or give --tiles");
        assertThat(directory.resolve("out")).doesNotExist();
    }

    /**
     * A model reads images as it was trained: --significant-bits may give the bits to a model that records none, not
     * change those it records; bits outside 1 to 16 are refused. Nothing is written either way.
     */
    @Test
    void significantBitsOtherThanTheModelRecordsAreRefused() throws IOException {
        Path twelve = directory.resolve("twelve.zip");
        UNet.load(model(false)).withTrainedSignificantBits(12).save(twelve);
        Run changed = predictOneImage(twelve, "--significant-bits", "10");
        assertThat(changed.exitCode()).as(changed.all()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(changed.err()).contains("--significant-bits 10 but " + twelve + " records 12 significant bits"
                + " (how its training read 16-bit samples): the model reads images as it was trained; drop"
                + " --significant-bits, or give --significant-bits 12");
        Run outOfRange = predictOneImage(model(false), "--significant-bits", "0");
        assertThat(outOfRange.exitCode()).as(outOfRange.all()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(outOfRange.err()).contains("--significant-bits must be 1 to 16 (the bits of a 16-bit sample")
                .contains("but was 0");
        assertThat(directory.resolve("out")).doesNotExist();

        Run repeated = predictOneImage(twelve, "--significant-bits", "12");
        assertThat(repeated.exitCode()).as(repeated.all()).isEqualTo(ExitCode.OK.code());
    }

    /**
     * --tta averages over the mirror images a model's training showed: a model trained without flips or turns (its
     * file records none) is refused before anything is written, by predict and evaluate alike.
     */
    @Test
    void testTimeFlipsAreRefusedForAModelTrainedWithoutMirrorImages() throws IOException {
        Path mirrorless = directory.resolve("mirrorless.zip");
        UNet.load(model(false)).withTrainingRecord(TrainingRecord.NONE.withMirrors(Set.of())).save(mirrorless);
        String refusal = "--tta averages over mirror images, but the model's training showed it no mirror image (no"
                + " flip or turn, its file records): averaging over mirror images would show it images it never"
                + " learnt: leave --tta out";
        Run predict = predictOneImage(mirrorless, "--tta");
        assertThat(predict.exitCode()).as(predict.all()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(predict.err()).contains(refusal).doesNotContain("\tat ");
        assertThat(directory.resolve("out")).doesNotExist();
        Run evaluate = run(new Evaluate(), "--model", mirrorless.toString(), "--data", directory.toString(),
                "--output", directory.resolve("evaluation").toString(), "--tta");
        assertThat(evaluate.exitCode()).as(evaluate.all()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(evaluate.err()).contains(refusal);
        assertThat(directory.resolve("evaluation")).doesNotExist();

        Run without = predictOneImage(mirrorless);
        assertThat(without.exitCode()).as(without.all()).isEqualTo(ExitCode.OK.code());
    }

    @Test
    void aGivenOverlapBeyondHalfTheInputIsRefusedNotCut() throws IOException {
        Run run = predictOneImage(model(false), "--overlap", "20");
        assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(run.err()).contains("--overlap 20 is more than half the model's input side (32 x 32), so the"
                + " tiles would not advance: give at most --overlap 16");
    }

    /**
     * --output the input folder: once allowed, the second run then took the first one's masks and overlays for
     * inputs (and refused them as "inputs" to overwrite). Refused before anything is read, naming both.
     */
    @Test
    void anOutputThatIsTheInputFolderIsABadOption() throws IOException {
        Path folder = images("a.png");
        Run run = run(new Predict(), "--model", model(false).toString(), "--input", folder.toString(), "--output",
                folder.resolve(".").toString());
        assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(run.err()).contains("--output " + folder.resolve(".") + " is the --input folder " + folder
                + ": the outputs would lie among the images and be taken for inputs by the next run; give another"
                + " --output (e.g. --output " + folder.resolve("predictions") + ")").doesNotContain("\tat ");
        try (var files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("a.png");
        }
    }

    /**
     * A ground truth a_mask.png beside a.png, and --output their folder: a_mask.png was replaced "as a file of an
     * earlier run". Only a file a prediction run listed as its own is replaced; this one is refused before anything
     * is written.
     */
    @Test
    void aFileThatNoPredictionWroteIsNotReplaced() throws IOException {
        Path folder = images("a.png", "a_mask.png");
        byte[] truth = Files.readAllBytes(folder.resolve("a_mask.png"));
        String model = model(false).toString();
        Run run = run(new Predict(), "--model", model, "--input", folder.resolve("a.png").toString(), "--output",
                folder.toString());
        assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.BAD_DATA.code());
        assertThat(run.err()).contains("--output " + folder + " already holds a_mask.png, which this run would"
                + " replace, but no prediction run wrote it there (" + folder.resolve("mdunet-outputs.txt") + " lists"
                + " the files prediction runs wrote, the only ones they replace): a file of your own, such as a ground"
                + " truth beside its image, is not overwritten. Nothing was written: give another --output (e.g."
                + " --output " + folder.resolve("predictions") + "), or move it away.").doesNotContain("\tat ");
        assertThat(folder.resolve("a_mask.png")).hasBinaryContent(truth);
        try (var files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("a.png", "a_mask.png");
        }

        // A prediction's own files are listed, and replaced by the next run with a note.
        Path output = directory.resolve("out");
        String[] args = {"--model", model, "--input", folder.resolve("a.png").toString(), "--output",
            output.toString()};
        assertThat(run(new Predict(), args).exitCode()).isZero();
        assertThat(output.resolve("mdunet-outputs.txt")).content().contains("a_mask.png\na_overlay.png");
        Run again = run(new Predict(), args);
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(again.out()).contains("note: replacing 2 file(s) of an earlier run in " + output.toAbsolutePath()
                + ": a_mask.png, a_overlay.png");
    }

    /**
     * A folder's files named as predict's outputs were predicted on (heldout_00000_mask_mask.png), and images it does
     * not read (b.gif, c.webp) were left out without a word.
     */
    @Test
    void aFoldersOutputsAndUnreadFilesAreLeftOutWithANote() throws IOException {
        Path folder = images("a.png", "a_mask.png", "a_overlay.png");
        Files.writeString(folder.resolve("b.gif"), "a picture");
        Files.writeString(folder.resolve("c.webp"), "a picture");
        Files.writeString(folder.resolve("._a.png"), "macOS metadata"); // hidden: left out without a note
        Path output = directory.resolve("out");
        Run run = run(new Predict(), "--model", model(false).toString(), "--input", folder.toString(), "--output",
                output.toString());
        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.out()).contains("note: left out 2 file(s) of " + folder + " named as this app's outputs"
                        + " (*_mask.png, *_overlay.png): a_mask.png, a_overlay.png; give one alone with --input to"
                        + " predict it",
                "note: left out 2 file(s) of " + folder + " that are not images read here (.bmp, .jpeg, .jpg, .png,"
                        + " .tif, .tiff): b.gif, c.webp", "1 image(s) written");
        try (var files = Files.list(output)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("a_mask.png",
                    "a_overlay.png", "mdunet-outputs.txt");
        }
    }

    /**
     * A floating-point TIFF and a PNG cut off in its pixels: once 13 of 14 outputs were written before the run
     * stopped.
     */
    @Test
    void badImagesAreRefusedBeforeAnyOutputOrSkippedWithSkipBadFiles() throws IOException {
        Path folder = images("a.png");
        ComponentColorModel floats = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_FLOAT);
        ImageIO.write(new BufferedImage(floats, floats.createCompatibleWritableRaster(40, 36), false, null), "tiff",
                folder.resolve("b.tif").toFile());
        BufferedImage noise = new BufferedImage(40, 36, BufferedImage.TYPE_3BYTE_BGR);
        Random random = new Random(1);
        for (int y = 0; y < 36; y++) {
            for (int x = 0; x < 40; x++) {
                noise.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(noise, "png", png);
        // Its compressed pixels overwritten mid-way: the header and chunks read, the pixels do not decode.
        byte[] damaged = png.toByteArray();
        Arrays.fill(damaged, damaged.length / 2, damaged.length / 2 + 64, (byte) 0xFF);
        Files.write(folder.resolve("c.png"), damaged);
        String model = model(false).toString();
        Path output = directory.resolve("out");

        Run refused = run(new Predict(), "--model", model, "--input", folder.toString(), "--output",
                output.toString());
        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(ExitCode.BAD_DATA.code());
        assertThat(refused.err()).contains("1 of the 3 input image(s) cannot be read (nothing was written): fix or"
                + " remove them, or give --skip-bad-files to predict the others", folder.resolve("b.tif")
                + ": 32-bit grey TIF; expected 8 or 16 bits per channel").doesNotContain("\tat ");
        assertThat(output).doesNotExist();

        Run skipped = run(new Predict(), "--model", model, "--input", folder.toString(), "--output",
                output.toString(), "--skip-bad-files");
        assertThat(skipped.exitCode()).as(skipped.all()).isZero();
        assertThat(skipped.out()).contains("1 of 3 image(s) written to " + output.toAbsolutePath() + "; skipped 2"
                + " bad file(s):\n  " + folder.resolve("b.tif") + ": 32-bit grey TIF", "\n  " + folder.resolve(
                "c.png") + ": corrupt or truncated image");
        assertThat(output.resolve("a_mask.png")).isNotEmptyFile();
        assertThat(output.resolve("c_mask.png")).doesNotExist();
        assertThat(output.resolve("mdunet-outputs.txt")).as("only the files the run set out to write")
                .content().doesNotContain("b_mask.png");

        // Pixels that fail to decode only show when predicted: without --skip-bad-files the run says how far it got.
        Files.delete(folder.resolve("b.tif"));
        Run stopped = run(new Predict(), "--model", model, "--input", folder.toString(), "--output",
                output.toString());
        assertThat(stopped.exitCode()).as(stopped.all()).isEqualTo(ExitCode.BAD_DATA.code());
        assertThat(stopped.err()).contains(folder.resolve("c.png") + ": corrupt or truncated image", "(1 of 2"
                + " image(s) written before it; --skip-bad-files predicts the others)").doesNotContain("\tat ");
    }

    @Test
    void anOutputThatIsAFileIsABadOptionBeforeTheModelIsRead() throws IOException {
        Path file = Files.writeString(directory.resolve("afile"), "");
        Run run = run(new Predict(), "--model", directory.resolve("no-model.zip").toString(), "--input",
                images("a.png").toString(), "--output", file.toString());
        assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(run.err()).contains("--output " + file + " is a file, not a folder: give a folder (it is made"
                + " when missing)", "Usage: predict").doesNotContain("\tat ");
    }

    @Test
    void probabilitiesOfAnEarlierRunThatStayBehindAreNamed() throws IOException {
        String model = model(false).toString();
        String input = images("a.png").toString();
        String output = directory.resolve("out").toString();
        assertThat(run(new Predict(), "--model", model, "--input", input, "--output", output, "--probabilities")
                .exitCode()).isZero();
        Run without = run(new Predict(), "--model", model, "--input", input, "--output", output);
        assertThat(without.exitCode()).as(without.all()).isZero();
        assertThat(without.out()).contains("note: 1 file(s) of an earlier run in " + Path.of(output).toAbsolutePath()
                + " are not replaced and no longer match the new outputs: a_probabilities.npy");
    }

    /** On macOS and Windows Cat_mask.png and cat_mask.png are one file. */
    @Test
    void stemsThatDifferOnlyInCaseGetOutputsOfTheirOwn() {
        Map<Path, String> names = PredictionInputs.outputNames(List.of(Path.of("Cat.png"), Path.of("cat.jpg")),
                "_mask.png");
        assertThat(names.values()).containsExactly("Cat_png", "cat_jpg");
    }
}
