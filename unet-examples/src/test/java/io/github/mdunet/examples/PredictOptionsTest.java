package io.github.mdunet.examples;

import static io.github.mdunet.examples.CommandLineErrorsTest.run;
import static io.github.mdunet.examples.CommandLineErrorsTest.solid;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.app.ExitCode;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.predict.ImageFraming;
import io.github.mdunet.examples.CommandLineErrorsTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    @Test
    void workersAreRefusedWhereEveryImageIsOneStretchedTile() throws IOException {
        Run run = run(new Predict(), "--model", model(true).toString(), "--input", images("a.png").toString(),
                "--output", directory.resolve("out").toString(), "--workers", "2");
        assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(run.err()).contains("--workers 2 predicts an image's tiles on 2 model copies, but here each image"
                + " is stretched to the model's input, without tiles (as the model was trained: its file records"
                + " it): leave --workers out, or give --tiles");
        assertThat(directory.resolve("out")).doesNotExist();
    }

    @Test
    void aGivenOverlapBeyondHalfTheInputIsRefusedNotCut() throws IOException {
        Run run = run(new Predict(), "--model", model(false).toString(), "--input", images("a.png").toString(),
                "--output", directory.resolve("out").toString(), "--overlap", "20");
        assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(run.err()).contains("--overlap 20 is more than half the model's input side (32 x 32), so the"
                + " tiles would not advance: give at most --overlap 16");
    }

    /** A ground truth beside its image, and --output the same folder: predicting a.png would overwrite a_mask.png. */
    @Test
    void outputsThatWouldOverwriteAnInputAreRefusedBeforeAnythingIsWritten() throws IOException {
        Path folder = images("a.png", "a_mask.png");
        byte[] truth = Files.readAllBytes(folder.resolve("a_mask.png"));
        Run run = run(new Predict(), "--model", model(false).toString(), "--input", folder.toString(), "--output",
                folder.toString());
        assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.BAD_DATA.code());
        assertThat(run.err()).contains("the output " + folder.resolve("a_mask.png").toAbsolutePath() + " would"
                + " overwrite that input: give --output another folder than the inputs'. Nothing was written.");
        assertThat(folder.resolve("a_mask.png")).hasBinaryContent(truth);
        try (var files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("a.png", "a_mask.png");
        }
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
