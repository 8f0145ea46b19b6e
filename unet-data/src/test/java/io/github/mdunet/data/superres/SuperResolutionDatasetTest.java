package io.github.mdunet.data.superres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.data.TestImages;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.image.PixelNormalizer;
import io.github.mdunet.data.pipeline.PairedDataSetIterator;
import io.github.mdunet.data.pipeline.SampleSlot;
import io.github.mdunet.data.synthetic.SyntheticScenes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** The self-supervised super-resolution data: split, patches, degraded inputs, and the synthetic scenes. */
class SuperResolutionDatasetTest {

    @TempDir
    Path directory;

    @Test
    void splitsThePhotographsAndLeavesOutTheSmallOnes() {
        Path folder = directory.resolve("photos");
        SyntheticScenes.write(folder, 6, 40, 36, 1);
        TestImages.solid(folder.resolve("tiny.png"), 20, 40, 0x336699);
        SuperResolutionDataset dataset = SuperResolutionDataset.open(folder, 0.3, 7, 32);
        assertThat(dataset.training()).hasSize(4);
        assertThat(dataset.validation()).hasSize(2);
        assertThat(dataset.skipped()).containsExactly("tiny.png (20x40, smaller than 32)");
        Set<Path> all = new HashSet<>(dataset.training());
        all.addAll(dataset.validation());
        assertThat(all).hasSize(6);
        assertThat(SuperResolutionDataset.open(folder, 0.3, 7, 32).validation()).isEqualTo(dataset.validation());
        // The photographs are ranked by name and seed alone: one more that is too small changes nothing, and a
        // photograph of the training side that breaks moves no other across.
        TestImages.solid(folder.resolve("also-tiny.png"), 20, 20, 0x336699);
        assertThat(SuperResolutionDataset.open(folder, 0.3, 7, 32).validation()).isEqualTo(dataset.validation());
        TestImages.garbage(dataset.training().get(0));
        SuperResolutionDataset withOneBroken = SuperResolutionDataset.open(folder, 0.3, 7, 32);
        assertThat(withOneBroken.training()).hasSize(3);
        assertThat(withOneBroken.validation()).isEqualTo(dataset.validation());
        assertThatThrownBy(() -> SuperResolutionDataset.open(folder, 0.3, 7, 100))
                .hasMessageContaining("has 0 usable photographs").hasMessageContaining("tiny.png");
    }

    /** macOS's ._ files beside the photographs are metadata: skipped as hidden, neither read nor listed. */
    @Test
    void hiddenFilesAreNotPhotographs() throws Exception {
        Path folder = directory.resolve("photos");
        SyntheticScenes.write(folder, 3, 32, 32, 1);
        Files.writeString(folder.resolve("._scene_00000.png"), "AppleDouble metadata");
        SuperResolutionDataset dataset = SuperResolutionDataset.open(folder, 0.3, 7, 32);
        assertThat(dataset.training().size() + dataset.validation().size()).isEqualTo(3);
        assertThat(dataset.skipped()).isEmpty();
    }

    @Test
    void floatingPointPhotographsAreLeftOutAndListedWhenTheFolderOpens() {
        Path folder = directory.resolve("photos");
        SyntheticScenes.write(folder, 3, 32, 32, 1);
        TestImages.float32(folder.resolve("float.tif"), 32, 32);
        TestImages.grey16(folder.resolve("deep.png"), 32, 32, 1000);
        SuperResolutionDataset dataset = SuperResolutionDataset.open(folder, 0.3, 7, 32);
        assertThat(dataset.skipped()).containsExactly("float.tif (32-bit grey TIF; expected 8 or 16 bits per channel"
                + " (convert it with the scale that suits its values, e.g. to a 16-bit PNG))");
        assertThat(dataset.training().size() + dataset.validation().size()).as("the 16-bit one is read").isEqualTo(4);
    }

    @Test
    void patchesAreTheTargetsAndTheirDegradationTheInputs() {
        Path folder = directory.resolve("photos");
        List<Path> files = SyntheticScenes.write(folder, 3, 48, 40, 2);
        Degradation x2 = new Degradation(2);
        ImageShape patch = new ImageShape(3, 16, 16);
        SuperResolutionSource centre = new SuperResolutionSource(files, x2, patch, InputNormalization.UNIT_RANGE,
                false, 1, 16);
        float[] features = new float[3 * 16 * 16];
        float[] labels = new float[3 * 16 * 16];
        centre.load(1, new SplittableRandom(1), new SampleSlot(features, 0, labels, 0));
        DecodedImage photo = ImageFiles.readImage(files.get(1), 3);
        DecodedImage expectedTarget = Resampling.crop(photo, 12, 16, 16, 16);
        DecodedImage expectedInput = x2.input(expectedTarget);
        for (int i = 0; i < labels.length; i++) {
            assertThat(labels[i]).isCloseTo(expectedTarget.pixels()[i] / 255f, within(1e-6f));
            assertThat(features[i]).isCloseTo(expectedInput.pixels()[i] / 255f, within(1e-6f));
        }

        SuperResolutionSource random = new SuperResolutionSource(files, x2, patch, InputNormalization.UNIT_RANGE,
                true, 4, 16);
        assertThat(random.size()).isEqualTo(12);
        float[] again = new float[labels.length];
        random.load(5, new SplittableRandom(9), new SampleSlot(features, 0, labels, 0));
        random.load(5, new SplittableRandom(9), new SampleSlot(features, 0, again, 0));
        assertThat(again).as("a pure function of the random source").containsExactly(labels);
        float[] input = new PixelNormalizer(InputNormalization.UNIT_RANGE).denormalize(features, 3, 256, 0);
        float[] target = new PixelNormalizer(InputNormalization.UNIT_RANGE).denormalize(labels, 3, 256, 0);
        float[] degraded = x2.input(DecodedImage.eightBit(3, 16, 16, target)).pixels();
        for (int i = 0; i < input.length; i++) {
            assertThat(input[i]).isCloseTo(degraded[i], within(1e-3f));
        }
    }

    /** A 16-bit photograph's inputs are rounded to its own levels through crop, flips and degradation. */
    @Test
    void aSixteenBitPhotographsInputsKeepItsLevels() {
        Path deep = TestImages.grey16(directory.resolve("photos/deep.png"), 32, 32, 25_500); // 99.22 on 0-255
        SuperResolutionSource augmented = new SuperResolutionSource(List.of(deep), new Degradation(4),
                new ImageShape(3, 16, 16), InputNormalization.UNIT_RANGE, true, 4, 16);
        float[] features = new float[3 * 16 * 16];
        float[] labels = new float[3 * 16 * 16];
        for (int sample = 0; sample < augmented.size(); sample++) {
            augmented.load(sample, new SplittableRandom(sample), new SampleSlot(features, 0, labels, 0));
            for (int i = 0; i < features.length; i++) {
                assertThat(features[i] * 255f).as("sample %d, value %d", sample, i)
                        .isCloseTo(25_500 / 257f, within(1e-3f));
            }
        }
    }

    @Test
    void iteratorsBatchTrainingAndHeldOutPatches() throws Exception {
        Path folder = directory.resolve("photos");
        SyntheticScenes.write(folder, 5, 32, 32, 3);
        SuperResolutionDataset dataset = SuperResolutionDataset.open(folder, 0.4, 1, 16);
        ImageShape patch = new ImageShape(3, 16, 16);
        try (PairedDataSetIterator train = dataset.trainIterator(new Degradation(4), patch,
                InputNormalization.IMAGENET, 4, 2, 5);
             PairedDataSetIterator validation = dataset.validationIterator(new Degradation(4), patch,
                     InputNormalization.IMAGENET, 4)) {
            DataSet batch = train.next();
            assertThat(batch.getFeatures().shape()).containsExactly(4, 3, 16, 16);
            assertThat(batch.getLabels().shape()).containsExactly(4, 3, 16, 16);
            assertThat(train.numSamples()).isEqualTo(6);
            DataSet first = validation.next();
            validation.reset();
            assertThat(validation.next().getLabels()).as("the same held-out patches every epoch")
                    .isEqualTo(first.getLabels());
        }
    }

    /**
     * What a resumed run compares of its data: the scale of the degradation, and the photographs by name and size,
     * not by how their folder's path is spelled (the contract of {@code SampleSource.identity}).
     */
    @Test
    void theDataIdentityNamesTheScaleAndFollowsThePhotographsNotThePathSpelling() throws Exception {
        Path folder = directory.resolve("photos");
        SyntheticScenes.write(folder, 5, 32, 32, 3);
        String x2 = trainingIdentity(folder, 2);
        assertThat(x2).contains("photographs (inputs: area-down x2, bicubic up)");
        assertThat(trainingIdentity(folder, 4)).contains("photographs (inputs: area-down x4, bicubic up)")
                .isNotEqualTo(x2);

        assertThat(trainingIdentity(directory.resolve("photos/."), 2)).as("photos/.").isEqualTo(x2);
        Path relative = Path.of("").toAbsolutePath().relativize(folder.toAbsolutePath());
        assertThat(relative.isAbsolute()).isFalse();
        assertThat(trainingIdentity(relative, 2)).as("a relative path").isEqualTo(x2);
        Path moved = Files.move(folder, directory.resolve("moved"));
        assertThat(trainingIdentity(moved, 2)).as("the folder moved").isEqualTo(x2);

        Path replaced = SuperResolutionDataset.open(moved, 0.4, 1, 16).training().get(0);
        long size = Files.size(replaced);
        TestImages.solid(replaced, 32, 32, 0x336699);
        assertThat(Files.size(replaced)).isNotEqualTo(size);
        assertThat(trainingIdentity(moved, 2)).as("a photograph replaced under its name").isNotEqualTo(x2);
    }

    private static String trainingIdentity(Path folder, int scale) throws Exception {
        SuperResolutionDataset dataset = SuperResolutionDataset.open(folder, 0.4, 1, 16);
        try (PairedDataSetIterator train = dataset.trainIterator(new Degradation(scale), new ImageShape(3, 16, 16),
                InputNormalization.UNIT_RANGE, 4, 1, 5)) {
            return train.dataIdentity();
        }
    }

    @Test
    void syntheticScenesAreDetailedAndReproducible() throws Exception {
        List<Path> first = SyntheticScenes.write(directory.resolve("a"), 3, 64, 48, 5);
        List<Path> second = SyntheticScenes.write(directory.resolve("b"), 3, 64, 48, 5);
        for (int i = 0; i < 3; i++) {
            assertThat(Files.readAllBytes(first.get(i))).isEqualTo(Files.readAllBytes(second.get(i)));
            DecodedImage image = ImageFiles.readImage(first.get(i), 3);
            assertThat(image.width()).isEqualTo(64);
            assertThat(image.height()).isEqualTo(48);
            Set<Float> values = new HashSet<>();
            for (float v : image.pixels()) {
                values.add(v);
            }
            assertThat(values.size()).as("many shades").isGreaterThan(100);
        }
        assertThat(Files.readAllBytes(first.get(0))).isNotEqualTo(Files.readAllBytes(first.get(1)));
    }

    @Test
    void writingScenesAgainLeavesExactlyTheNewOnes() throws Exception {
        Path folder = directory.resolve("scenes");
        SyntheticScenes.write(folder, 5, 16, 16, 1);
        TestImages.solid(folder.resolve("mine.png"), 16, 16, 0);
        List<Path> written = SyntheticScenes.write(folder, 3, 16, 16, 1);
        try (var files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).as("an earlier call's scene_00003"
                    + " and scene_00004 are gone; other files stay")
                    .containsExactly("mine.png", "scene_00000.png", "scene_00001.png", "scene_00002.png");
        }
        assertThat(written).hasSize(3);
    }

    /**
     * A 12-bit camera's photographs in 16-bit files, opened at 12 bits, make the patches of their 8-bit twins (within
     * the 8-bit levels the degradation rounds the twin's inputs to), and the data identity says how they were read;
     * a photograph brighter than 12 bits is left out, naming the bits it needs.
     */
    @Test
    void twelveBitPhotographsOpenedAtTwelveBitsMakeThePatchesOfTheirEightBitTwins() {
        int side = 32;
        Path eight = directory.resolve("eight");
        Path twelve = directory.resolve("twelve");
        for (String name : List.of("a.png", "b.png", "c.png")) {
            int[] levels = new int[side * side];
            int[] samples = new int[side * side];
            for (int i = 0; i < levels.length; i++) {
                levels[i] = (i * (7 + name.charAt(0)) + i / side * 13) % 256;
                samples[i] = Math.round(levels[i] * 4095f / 255f);
            }
            TestImages.grey(eight.resolve(name), side, side, levels);
            TestImages.grey16(twelve.resolve(name), side, side, samples);
        }
        TestImages.grey16(twelve.resolve("d.png"), side, side, 5000);

        SuperResolutionDataset twins = SuperResolutionDataset.open(eight, 0.4, 3, 16);
        SuperResolutionDataset read = SuperResolutionDataset.open(twelve, 0.4, 3, 16, 12);
        assertThat(read.significantBits()).isEqualTo(12);
        assertThat(read.skipped()).singleElement().asString().startsWith("d.png (").contains("(up to 5000)")
                .contains("need 13 bits");
        assertThat(read.validation().stream().map(Path::getFileName).toList())
                .isEqualTo(twins.validation().stream().map(Path::getFileName).toList());
        ImageShape patch = new ImageShape(3, 16, 16);
        try (PairedDataSetIterator expected = twins.validationIterator(new Degradation(2), patch,
                InputNormalization.UNIT_RANGE, 4);
             PairedDataSetIterator actual = read.validationIterator(new Degradation(2), patch,
                     InputNormalization.UNIT_RANGE, 4)) {
            DataSet twin = expected.next();
            DataSet batch = actual.next();
            assertThat(batch.getLabels().data().asFloat()).containsExactly(twin.getLabels().data().asFloat(),
                    within(0.5f / 4095));
            assertThat(batch.getFeatures().data().asFloat()).containsExactly(twin.getFeatures().data().asFloat(),
                    within(0.5f / 255 + 0.5f / 4095));
            assertThat(actual.dataIdentity()).contains(", 16-bit images as 12-bit values,");
            assertThat(expected.dataIdentity()).doesNotContain("-bit values");
        }
        assertThat(SuperResolutionDataset.open(twelve, 0.4, 3, 16).skipped()).as("16 bits read d.png").isEmpty();
        assertThatThrownBy(() -> SuperResolutionDataset.open(twelve, 0.4, 3, 16, 17))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("significantBits must be 1 to 16");
    }
}
