package io.github.mdunet.examples.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.metrics.SegmentationEvaluation;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.predict.ImageFraming;
import io.github.mdunet.core.predict.TiledPredictor;
import io.github.mdunet.core.testing.NativeAllocations;
import io.github.mdunet.data.folder.SamplePair;
import io.github.mdunet.data.image.MaskEncoding;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Scoring a labelled image whose mask ignores some pixels (Pascal VOC's 255 borders). */
class FolderEvaluationTest {

    private static final int SIDE = 16;
    private static final int IGNORED = 255;

    @TempDir
    Path directory;

    private final UNet unet = TinyUNet.of(SIDE);

    /** A grey picture and a mask of class ids 0-2 whose first {@code ignoredRows} rows are 255. */
    private SamplePair sample(int ignoredRows) throws IOException {
        BufferedImage picture = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        BufferedImage mask = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                picture.setRGB(x, y, 0x404040 + (x * 8 << 8));
                mask.getRaster().setSample(x, y, 0, y < ignoredRows ? IGNORED : (x + y) % 3);
            }
        }
        Path image = directory.resolve("images/a.png");
        Path target = directory.resolve("masks/a.png");
        image.getParent().toFile().mkdirs();
        target.getParent().toFile().mkdirs();
        ImageIO.write(picture, "png", image.toFile());
        ImageIO.write(mask, "png", target.toFile());
        return new SamplePair("a", image, target);
    }

    @Test
    void ignoredPixelsAreNotCountedAndAreDrawnWhite() throws IOException {
        FolderEvaluation evaluation = new FolderEvaluation(unet, new MaskEncoding.ClassIds(Set.of(IGNORED)), 4,
                ImageFraming.TILES);
        SamplePair sample = sample(5);

        SegmentationEvaluation one = evaluation.evaluate(sample);
        assertThat(one.countedPixels()).isEqualTo((long) SIDE * (SIDE - 5));

        BufferedImage strip = evaluation.strip(sample).image();
        int panel = strip.getWidth() / 3;
        int zoom = panel / SIDE;
        int truthIgnored = strip.getRGB(panel + 3 * zoom, 2 * zoom) & 0xFFFFFF;
        int pictureThere = strip.getRGB(3 * zoom, 2 * zoom) & 0xFFFFFF;
        assertThat(truthIgnored & 0xFF).as("the truth panel lightens an ignored pixel towards white")
                .isGreaterThan(pictureThere & 0xFF);
    }

    /**
     * The worst images are drawn before anything is written: when one can no longer be read, the earlier evaluation's
     * tables and strips stay as they were.
     */
    @Test
    void aStripThatCannotBeDrawnLeavesTheEarlierEvaluationAsItWas() throws IOException {
        FolderEvaluation evaluation = new FolderEvaluation(unet, new MaskEncoding.ClassIds(Set.of(IGNORED)), 4,
                ImageFraming.TILES);
        SamplePair sample = sample(0);
        EvaluationResult result = evaluation.evaluate(List.of(sample), FolderEvaluation.numberedClasses(3));
        Path output = directory.resolve("evaluation");
        EvaluationFiles.write(result, evaluation, 1, output);
        List<String> written = EvaluationFiles.earlierFiles(output, List.of());
        assertThat(written).contains("worst/01-a.png");
        Map<String, byte[]> before = new HashMap<>();
        for (String name : written) {
            before.put(name, Files.readAllBytes(output.resolve(name)));
        }

        Files.delete(sample.input());
        assertThatThrownBy(() -> EvaluationFiles.write(result, evaluation, 1, output))
                .hasMessageContaining("a.png");
        assertThat(EvaluationFiles.earlierFiles(output, List.of())).isEqualTo(written);
        for (String name : written) {
            assertThat(Files.readAllBytes(output.resolve(name))).as(name).isEqualTo(before.get(name));
        }
    }

    /**
     * Evaluating again with no worst images removes the earlier overlays and their folder once it is empty, never a
     * file the app did not write.
     */
    @Test
    void noWorstImagesLeaveNoWorstFolder() throws IOException {
        FolderEvaluation evaluation = new FolderEvaluation(unet, new MaskEncoding.ClassIds(Set.of(IGNORED)), 4,
                ImageFraming.TILES);
        EvaluationResult result = evaluation.evaluate(List.of(sample(0)), FolderEvaluation.numberedClasses(3));
        Path output = directory.resolve("evaluation");
        EvaluationFiles.write(result, evaluation, 1, output);
        assertThat(output.resolve("worst/01-a.png")).isRegularFile();

        EvaluationFiles.write(result, evaluation, 0, output);

        assertThat(output.resolve("worst")).doesNotExist();
        assertThat(output.resolve("per-image.csv")).isRegularFile();

        EvaluationFiles.write(result, evaluation, 1, output);
        Path note = Files.writeString(output.resolve("worst").resolve("notes.txt"), "mine");
        EvaluationFiles.write(result, evaluation, 0, output);
        assertThat(note).as("a file of the user's keeps its folder").hasContent("mine");
        assertThat(output.resolve("worst/01-a.png")).doesNotExist();
    }

    /**
     * Scoring reads the class ids and the probabilities as they are: it allocates no more native memory than the
     * prediction and one copy of the probabilities (read a few rows at a time), no one-hot labels, mask or
     * flattened copies. Counted by a workspace that spills every array.
     */
    @Test
    void scoringAllocatesLittleMoreThanPredicting() throws IOException {
        UnaryOperator<INDArray> model = input -> {
            try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                return input.mul(0.5);
            }
        };
        ImagePredictor predictor = new ImagePredictor(unet, new TiledPredictor(model, SIDE, SIDE, 4),
                ImageFraming.TILES);
        FolderEvaluation evaluation = new FolderEvaluation(unet, predictor, new MaskEncoding.ClassIds(Set.of(IGNORED)));
        SamplePair sample = sample(5);
        long predicting = NativeAllocations.of(() -> predictor.predict(sample.input()));
        long scoring = NativeAllocations.of(() -> assertThat(evaluation.evaluate(sample).countedPixels())
                .isEqualTo((long) SIDE * (SIDE - 5)));
        long probabilities = 3L * SIDE * SIDE * Float.BYTES;
        assertThat(scoring).as("bytes allocated to predict and score; predicting allocates %d", predicting)
                .isLessThanOrEqualTo(predicting + probabilities);
    }
}
