package io.github.mdunet.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.data.folder.SegmentationFolderConfig;
import io.github.mdunet.data.validate.DatasetValidator;
import io.github.mdunet.data.validate.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticShapesTest {

    @TempDir
    Path dir;

    @Test
    void writesTheFolderLayoutTheLoaderReadsAndItValidates() {
        SegmentationFolderConfig config = SyntheticShapes.write(dir, 6, 32, 1);
        assertThat(config.numClasses()).isEqualTo(4);
        assertThat(dir.resolve("images/shapes_00005.png")).exists();
        assertThat(dir.resolve("masks/shapes_00005.png")).exists();
        ValidationReport report = DatasetValidator.validate(config);
        assertThat(report.problems()).isEmpty();
        assertThat(report.training()).hasSize(6);
    }

    @Test
    void isAPureFunctionOfTheSeed() throws Exception {
        SyntheticShapes.write(dir.resolve("a"), 2, 32, 7);
        SyntheticShapes.write(dir.resolve("b"), 2, 32, 7);
        SyntheticShapes.write(dir.resolve("c"), 2, 32, 8);
        byte[] a = Files.readAllBytes(dir.resolve("a/images/shapes_00001.png"));
        assertThat(Files.readAllBytes(dir.resolve("b/images/shapes_00001.png"))).isEqualTo(a);
        assertThat(Files.readAllBytes(dir.resolve("c/images/shapes_00001.png"))).isNotEqualTo(a);
    }

    /** demo --images 120 after a run of 480 in the same folder once trained on all 480 while printing 120. */
    @Test
    void aSmallerCountDeletesTheEarlierPairsBeyondItAndLeavesOtherFilesAlone() throws Exception {
        SyntheticShapes.write(dir, 5, 32, 1);
        SyntheticShapes.writeImageToImage(dir.resolve("sr"), 5, 32, 2, 1);
        Path own = Files.writeString(dir.resolve("images/notes.txt"), "mine");
        Path ownImage = Files.copy(dir.resolve("images/shapes_00004.png"), dir.resolve("images/shapes_4.png"));

        SegmentationFolderConfig config = SyntheticShapes.write(dir, 2, 32, 7);
        SyntheticShapes.writeImageToImage(dir.resolve("sr"), 2, 32, 2, 7);

        for (String folder : List.of("images", "masks", "sr/inputs", "sr/targets")) {
            try (Stream<Path> files = Files.list(dir.resolve(folder))) {
                assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("shapes_0")))
                        .as(folder).containsExactlyInAnyOrder("shapes_00000.png", "shapes_00001.png");
            }
        }
        assertThat(own).hasContent("mine");
        assertThat(ownImage).exists();
        Files.delete(ownImage);
        assertThat(DatasetValidator.validate(config).training()).hasSize(2);
    }

    @Test
    void everyClassOccursAndClassesDifferInColour() {
        long[] counts = new long[4];
        double[][] colourSums = new double[4][3];
        for (int i = 0; i < 40; i++) {
            SyntheticShapes.Sample sample = SyntheticShapes.render(48, new SplittableRandom(i));
            for (int p = 0; p < sample.ids().length; p++) {
                int id = sample.ids()[p];
                counts[id]++;
                colourSums[id][0] += (sample.rgb()[p] >> 16) & 0xFF;
                colourSums[id][1] += (sample.rgb()[p] >> 8) & 0xFF;
                colourSums[id][2] += sample.rgb()[p] & 0xFF;
            }
        }
        for (int id = 0; id < 4; id++) {
            assertThat(counts[id]).as("pixels of class %d", id).isGreaterThan(40L * 48 * 48 / 20);
        }
        for (int id = 1; id < 4; id++) {
            double[] mean = {colourSums[id][0] / counts[id], colourSums[id][1] / counts[id],
                    colourSums[id][2] / counts[id]};
            int dominant = mean[0] > mean[1] && mean[0] > mean[2] ? 0 : mean[1] > mean[2] ? 1 : 2;
            assertThat(dominant).as("dominant channel of class %d", id).isEqualTo(id - 1);
        }
    }
}
