package io.github.mdunet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.data.augment.AugmentConfig;
import io.github.mdunet.data.folder.ImageToImageFolderConfig;
import io.github.mdunet.data.folder.SegmentationFolderConfig;
import io.github.mdunet.data.pipeline.LabelFormat;
import io.github.mdunet.data.pipeline.PairedDataSetIterator;
import io.github.mdunet.data.pipeline.PipelineConfig;
import io.github.mdunet.data.validate.BadSamplePolicy;
import io.github.mdunet.data.validate.DatasetValidationException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** A folder of 12-bit values in 16-bit files, read with {@code significantBits} 12, trains as its 8-bit twin. */
class SignificantBitsDatasetTest {

    private static final int SIDE = 8;
    private static final PipelineConfig PIPELINE = new PipelineConfig(new ImageShape(1, SIDE, SIDE),
            InputNormalization.UNIT_RANGE, LabelFormat.ONE_HOT, AugmentConfig.NONE, 1, false, 0, 0, 1);

    @TempDir
    Path dir;

    /** Pixel {@code i} of a ramp: a multiple of 1/63 of the range, in 8 bits ({@code step} 255/63) or 12. */
    private static int[] ramp(double step) {
        int[] values = new int[SIDE * SIDE];
        for (int i = 0; i < values.length; i++) {
            values[i] = (int) Math.round(i * step);
        }
        return values;
    }

    private Path segmentationFolder(String name, boolean twelveBit) {
        Path root = dir.resolve(name);
        if (twelveBit) {
            TestImages.grey16(root.resolve("images/a.png"), SIDE, SIDE, ramp(4095.0 / 63));
        } else {
            TestImages.grey(root.resolve("images/a.png"), SIDE, SIDE, ramp(255.0 / 63));
        }
        TestImages.greyFill(root.resolve("masks/a.png"), SIDE, SIDE, 1);
        return root;
    }

    private static float[] features(SegmentationDataset data) {
        try (PairedDataSetIterator batches = data.trainIterator(PIPELINE)) {
            DataSet batch = batches.next();
            return batch.getFeatures().data().asFloat();
        }
    }

    @Test
    void twelveBitImagesReadWithTwelveBitsMakeTheFeaturesOfTheirEightBitTwin() {
        float[] eightBit = features(SegmentationDataset.open(SegmentationFolderConfig
                .of(segmentationFolder("eight", false), 2).withImageChannels(1)));
        SegmentationFolderConfig twelveBitFolder = SegmentationFolderConfig.of(segmentationFolder("twelve", true), 2)
                .withImageChannels(1);
        float[] twelveBit = features(SegmentationDataset.open(twelveBitFolder.withSignificantBits(12)));
        float[] asSixteen = features(SegmentationDataset.open(twelveBitFolder));

        assertThat(eightBit[eightBit.length - 1]).isEqualTo(1f);
        for (int i = 0; i < eightBit.length; i++) {
            assertThat(twelveBit[i]).as("pixel %d", i).isCloseTo(eightBit[i], within(2e-3f));
        }
        assertThat(asSixteen[asSixteen.length - 1]).as("read as 16-bit values: 4095 / 65535")
                .isCloseTo(4095f / 65535, within(1e-6f));
    }

    @Test
    void validationNamesAnImageBrighterThanItsBits() {
        Path root = segmentationFolder("bright", true);
        Path bright = TestImages.grey16(root.resolve("images/b.png"), SIDE, SIDE, ramp(5000.0 / 63));
        TestImages.greyFill(root.resolve("masks/b.png"), SIDE, SIDE, 0);

        assertThatThrownBy(() -> SegmentationDataset.open(SegmentationFolderConfig.of(root, 2)
                .withSignificantBits(12)))
                .isInstanceOf(DatasetValidationException.class)
                .satisfies(e -> assertThat(((DatasetValidationException) e).problems())
                        .singleElement()
                        .satisfies(problem -> {
                            assertThat(problem.file()).isEqualTo(bright);
                            assertThat(problem.isError()).isTrue();
                            assertThat(problem.message()).contains("(up to 5000)").contains("need 13 bits");
                        }));
        assertThat(SegmentationDataset.open(SegmentationFolderConfig.of(root, 2)).training()).as("16 reads it")
                .hasSize(2);
    }

    @Test
    void imageToImageInputsAndTargetsAreBothReadAtTheBits() {
        Path root = dir.resolve("pairs");
        TestImages.grey16(root.resolve("inputs/a.png"), SIDE, SIDE, ramp(4095.0 / 63));
        TestImages.grey16(root.resolve("targets/a.png"), SIDE, SIDE, ramp(2047.0 / 63));
        ImageToImageFolderConfig config = ImageToImageFolderConfig.of(root, 1).withChannels(1, 1)
                .withSignificantBits(12);
        try (PairedDataSetIterator batches = ImageToImageDataset.open(config, BadSamplePolicy.FAIL)
                .trainIterator(PIPELINE)) {
            DataSet batch = batches.next();
            float[] inputs = batch.getFeatures().data().asFloat();
            float[] targets = batch.getLabels().data().asFloat();
            assertThat(inputs[inputs.length - 1]).isCloseTo(1f, within(1e-5f));
            assertThat(targets[targets.length - 1]).as("2047 of 4095").isCloseTo(2047f / 4095, within(1e-5f));
            assertThat(batches.dataIdentity()).contains("16-bit images as 12-bit values");
        }
    }

    @Test
    void bitsOutsideOneToSixteenAreRefusedNamingTheField() {
        assertThatThrownBy(() -> SegmentationFolderConfig.of(dir, 2).withSignificantBits(17))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("SegmentationFolderConfig.significantBits must be 1 to 16")
                .hasMessageEndingWith("but was 17");
        assertThatThrownBy(() -> ImageToImageFolderConfig.of(dir, 1).withSignificantBits(0))
                .hasMessageStartingWith("ImageToImageFolderConfig.significantBits must be 1 to 16");
        assertThat(SegmentationFolderConfig.of(dir, 2).significantBits()).isEqualTo(16);
    }
}
