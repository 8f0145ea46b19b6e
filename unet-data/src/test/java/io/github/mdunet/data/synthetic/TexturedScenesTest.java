package io.github.mdunet.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.github.mdunet.data.validate.DatasetValidator;
import io.github.mdunet.data.validate.ValidationReport;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small scenes (64 x 48): determinism, valid masks, texture that carries the class and colour that does not. */
class TexturedScenesTest {

    private static final TexturedScenesConfig SMALL = new TexturedScenesConfig(3, 64, 48, 5, 5);
    /** Scenes rendered in memory for the statistics; enough that every class has several objects. */
    private static final int STATISTICS_SCENES = 30;

    @TempDir
    Path dir;

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static List<TexturedScenes.Scene> scenes(int count) {
        List<TexturedScenes.Scene> scenes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            scenes.add(TexturedScenes.render(SMALL, TexturedScenes.Subset.TRAIN, i));
        }
        return scenes;
    }

    private static double channel(int rgb, int channel) {
        return (rgb >> (16 - 8 * channel)) & 0xFF;
    }

    @Test
    void sameSeedWritesByteIdenticalFilesAndAnotherSeedDoesNot() throws IOException {
        TexturedScenes.write(SMALL, dir.resolve("a"));
        TexturedScenes.write(SMALL, dir.resolve("b"));
        TexturedScenes.write(SMALL.withSeed(4), dir.resolve("c"));
        List<Path> a = files(dir.resolve("a"));
        assertThat(a).hasSize(20);
        for (Path file : a) {
            Path relative = dir.resolve("a").relativize(file);
            assertThat(Files.readAllBytes(dir.resolve("b").resolve(relative))).as("%s", relative)
                    .isEqualTo(Files.readAllBytes(file));
        }
        Path image = Path.of("train/images/train_00002.png");
        assertThat(Files.readAllBytes(dir.resolve("c").resolve(image)))
                .isNotEqualTo(Files.readAllBytes(dir.resolve("a").resolve(image)));
    }

    @Test
    void heldOutImagesComeFromAnotherStreamThanTrainingImages() throws IOException {
        TexturedScenes.write(SMALL, dir);
        List<Path> train = files(dir.resolve("train/images"));
        List<Path> heldout = files(dir.resolve("heldout/images"));
        assertThat(train).hasSize(5);
        assertThat(heldout).hasSize(5);
        for (Path held : heldout) {
            byte[] bytes = Files.readAllBytes(held);
            for (Path trained : train) {
                assertThat(Files.readAllBytes(trained)).as("%s vs %s", held, trained).isNotEqualTo(bytes);
            }
        }
    }

    @Test
    void theFolderReaderAcceptsTheOutputWithHeldOutAsValidation() {
        TexturedScenes.Written written = TexturedScenes.write(SMALL, dir);
        ValidationReport report = DatasetValidator.validate(written.folder());
        assertThat(report.problems()).isEmpty();
        assertThat(report.training()).hasSize(5);
        assertThat(report.validation()).hasSize(5);
        assertThat(written.folder().numClasses()).isEqualTo(TexturedScenes.NUM_CLASSES);
    }

    @Test
    void imagesAreColourPngsAndMasksAreGreyClassIds() throws IOException {
        TexturedScenes.write(SMALL, dir);
        BufferedImage image = ImageIO.read(dir.resolve("train/images/train_00000.png").toFile());
        BufferedImage mask = ImageIO.read(dir.resolve("train/masks/train_00000.png").toFile());
        assertThat(image.getRaster().getNumBands()).isEqualTo(3);
        assertThat(mask.getRaster().getNumBands()).isEqualTo(1);
        assertThat(mask.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
        assertThat(image.getWidth()).isEqualTo(64);
        assertThat(image.getHeight()).isEqualTo(48);
        int[] ids = mask.getRaster().getSamples(0, 0, 64, 48, 0, (int[]) null);
        assertThat(ids).containsExactly(TexturedScenes.render(SMALL, TexturedScenes.Subset.TRAIN, 0).classIds());
    }

    @Test
    void masksHoldOnlyIdsZeroToThreeAndEveryClassOccurs() {
        List<int[]> masks = scenes(8).stream().map(TexturedScenes.Scene::classIds).toList();
        for (int[] mask : masks) {
            assertThat(Arrays.stream(mask).min().orElseThrow()).isGreaterThanOrEqualTo(0);
            assertThat(Arrays.stream(mask).max().orElseThrow()).isLessThan(TexturedScenes.NUM_CLASSES);
        }
        ClassBalance balance = ClassBalance.count(TexturedScenes.CLASS_NAMES, masks);
        for (int id = 0; id < TexturedScenes.NUM_CLASSES; id++) {
            assertThat(balance.pixels().get(id)).as("pixels of %s", TexturedScenes.CLASS_NAMES.get(id)).isPositive();
        }
    }

    @Test
    void everyObjectClassIsTexturedWellAboveTheSensorNoise() {
        double[] localDeviation = new double[TexturedScenes.NUM_CLASSES];
        long[] windows = new long[TexturedScenes.NUM_CLASSES];
        for (TexturedScenes.Scene scene : scenes(STATISTICS_SCENES)) {
            int w = scene.width();
            for (int y = 2; y < scene.height() - 2; y++) {
                for (int x = 2; x < w - 2; x++) {
                    int id = scene.classIds()[y * w + x];
                    double sum = 0;
                    double squares = 0;
                    boolean oneClass = true;
                    for (int dy = -2; dy <= 2; dy++) {
                        for (int dx = -2; dx <= 2; dx++) {
                            int i = (y + dy) * w + x + dx;
                            oneClass &= scene.classIds()[i] == id;
                            double luma = (channel(scene.rgb()[i], 0) + channel(scene.rgb()[i], 1)
                                    + channel(scene.rgb()[i], 2)) / 3;
                            sum += luma;
                            squares += luma * luma;
                        }
                    }
                    if (oneClass) {
                        double mean = sum / 25;
                        localDeviation[id] += Math.sqrt(Math.max(0, squares / 25 - mean * mean));
                        windows[id]++;
                    }
                }
            }
        }
        for (int id = 1; id < TexturedScenes.NUM_CLASSES; id++) {
            double mean = localDeviation[id] / windows[id];
            // The sensor noise alone gives at most about 6 grey levels of local standard deviation.
            assertThat(mean).as("mean 5 x 5 luma deviation inside %s", TexturedScenes.CLASS_NAMES.get(id))
                    .isGreaterThan(12.0);
        }
    }

    @Test
    void meanColoursOfTheClassesDifferByLessThanTheSpreadWithinAClass() {
        double[][] sums = new double[TexturedScenes.NUM_CLASSES][3];
        double[][] squares = new double[TexturedScenes.NUM_CLASSES][3];
        long[] counts = new long[TexturedScenes.NUM_CLASSES];
        for (TexturedScenes.Scene scene : scenes(STATISTICS_SCENES)) {
            for (int i = 0; i < scene.rgb().length; i++) {
                int id = scene.classIds()[i];
                counts[id]++;
                for (int c = 0; c < 3; c++) {
                    double v = channel(scene.rgb()[i], c);
                    sums[id][c] += v;
                    squares[id][c] += v * v;
                }
            }
        }
        for (int c = 0; c < 3; c++) {
            double smallestSpread = Double.MAX_VALUE;
            double lowestMean = Double.MAX_VALUE;
            double highestMean = -Double.MAX_VALUE;
            for (int id = 0; id < TexturedScenes.NUM_CLASSES; id++) {
                double mean = sums[id][c] / counts[id];
                smallestSpread = Math.min(smallestSpread, Math.sqrt(squares[id][c] / counts[id] - mean * mean));
                lowestMean = Math.min(lowestMean, mean);
                highestMean = Math.max(highestMean, mean);
            }
            assertThat(highestMean - lowestMean).as("range of the class means of channel %d", c)
                    .isLessThan(smallestSpread);
        }
    }

    @Test
    void classBalanceCountsEveryMaskPixel() {
        TexturedScenes.Written written = TexturedScenes.write(SMALL, dir);
        assertThat(written.train().totalPixels()).isEqualTo(5L * 64 * 48);
        assertThat(written.heldout().totalPixels()).isEqualTo(5L * 64 * 48);
        double sum = 0;
        for (int id = 0; id < TexturedScenes.NUM_CLASSES; id++) {
            sum += written.train().fraction(id);
        }
        assertThat(sum).isCloseTo(1.0, offset(1e-9));
        assertThat(written.train().describe()).startsWith("background ").contains("grass ", "cells ", "waves ");
    }

    /** Fewer images or no held-out subset over an earlier output would leave its files behind, so it is refused. */
    @Test
    void aNonEmptyTrainOrHeldOutFolderIsRefusedAndLeftAlone() throws IOException {
        TexturedScenes.write(SMALL, dir);
        List<Path> before = files(dir);
        assertThatThrownBy(() -> TexturedScenes.write(SMALL.withImages(2, 5), dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.resolve("train").toString())
                .hasMessageContaining("is not empty")
                .hasMessageContaining("choose another output folder or remove");
        assertThat(files(dir)).isEqualTo(before);

        Path heldoutOnly = dir.resolve("heldout-only");
        Files.createDirectories(heldoutOnly.resolve("heldout/images"));
        assertThatThrownBy(() -> TexturedScenes.write(SMALL.withImages(2, 0), heldoutOnly))
                .hasMessageContaining(heldoutOnly.resolve("heldout").toString()).hasMessageContaining("is not empty");
        assertThat(heldoutOnly.resolve("train")).doesNotExist();

        Path emptyFolders = dir.resolve("empty");
        Files.createDirectories(emptyFolders.resolve("train"));
        Files.createDirectories(emptyFolders.resolve("heldout"));
        TexturedScenes.write(SMALL.withImages(2, 1), emptyFolders);
        assertThat(files(emptyFolders)).hasSize(6);
    }

    @Test
    void tooSmallImagesAndNoTrainingImagesAreRejectedByName() {
        assertThatThrownBy(() -> new TexturedScenesConfig(1, 16, 48, 5, 5))
                .hasMessageContaining("width and height must be >= 32").hasMessageContaining("width=16");
        assertThatThrownBy(() -> new TexturedScenesConfig(1, 64, 48, 0, 5))
                .hasMessageContaining("trainImages must be >= 1 but was 0");
        assertThatThrownBy(() -> ClassBalance.count(TexturedScenes.CLASS_NAMES, List.of(new int[] {0, 7})))
                .hasMessageContaining("class id 7 is outside 0..3");
    }
}
