package io.github.mdunet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.data.augment.AugmentConfig;
import io.github.mdunet.data.augment.ColorJitter;
import io.github.mdunet.data.augment.Interpolation;
import io.github.mdunet.data.folder.ImageToImageFolderConfig;
import io.github.mdunet.data.folder.Split;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.pipeline.LabelFormat;
import io.github.mdunet.data.pipeline.PairedDataSetIterator;
import io.github.mdunet.data.pipeline.PipelineConfig;
import io.github.mdunet.data.superres.Degradation;
import io.github.mdunet.data.synthetic.SyntheticShapes;
import io.github.mdunet.data.validate.BadSamplePolicy;
import io.github.mdunet.data.validate.DatasetValidationException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class ImageToImageDatasetTest {

    @TempDir
    Path dir;

    /**
     * Each target is its input inverted: after flips and crops drawn once for both, label = 1 - feature; also after
     * zooms out (scales 0.5-1 of sources the output's size), whose reflected borders and shrinking filter are linear
     * and shared.
     */
    @Test
    void targetsFollowTheInputsGeometryExactly() {
        for (int i = 0; i < 4; i++) {
            int[] input = new int[16 * 12];
            int[] target = new int[16 * 12];
            for (int p = 0; p < input.length; p++) {
                int r = (p * 7 + i * 31) % 256;
                int g = (p % 16) * 16;
                int b = (p / 16) * 20;
                input[p] = r << 16 | g << 8 | b;
                target[p] = (255 - r) << 16 | (255 - g) << 8 | (255 - b);
            }
            TestImages.rgb(dir.resolve("inputs/s" + i + ".png"), 16, 12, input);
            TestImages.rgb(dir.resolve("targets/s" + i + ".png"), 16, 12, target);
        }
        ImageToImageDataset data = ImageToImageDataset.open(ImageToImageFolderConfig.of(dir, 1)
                .withSplit(new Split.BySeed(0.25, 1)), BadSamplePolicy.FAIL);
        for (AugmentConfig augment : List.of(AugmentConfig.flipsAndCrops(), AugmentConfig.flipsAndCrops()
                .withScale(0.5, 1).withImageInterpolation(Interpolation.BILINEAR))) {
            PipelineConfig pipeline = new PipelineConfig(new ImageShape(3, 10, 12), InputNormalization.UNIT_RANGE,
                    LabelFormat.CLASS_ID, augment, 3, true, 9, 1, 1);
            try (PairedDataSetIterator iterator = data.trainIterator(pipeline)) {
                for (int epoch = 0; epoch < 4; epoch++) {
                    DataSet batch = iterator.next();
                    assertThat(batch.getFeatures().shape()).containsExactly(3, 3, 10, 12);
                    assertThat(batch.getLabels().shape()).as("a U-Net's output: the input's size")
                            .containsExactly(3, 3, 10, 12);
                    assertThat(batch.getLabels().add(batch.getFeatures()).sub(1).amaxNumber().doubleValue())
                            .as("%s", augment).isLessThan(1e-5);
                    iterator.reset();
                }
            }
            assertThat(data.validationIterator(pipeline).next().getLabels().shape()).containsExactly(1, 3, 10, 12);
        }
    }

    @Test
    void aScaleFactorAboveOneIsRefusedWhereAPipelineMeetsIt() {
        // Every U-Net outputs at its input size: targets twice the input could never be fitted.
        TestImages.solid(dir.resolve("inputs/a.png"), 8, 8, 0);
        TestImages.solid(dir.resolve("inputs/b.png"), 8, 8, 0);
        TestImages.solid(dir.resolve("targets/a.png"), 16, 16, 0);
        TestImages.solid(dir.resolve("targets/b.png"), 16, 16, 0);
        ImageToImageDataset data = ImageToImageDataset.open(ImageToImageFolderConfig.of(dir, 2),
                BadSamplePolicy.FAIL);
        PipelineConfig pipeline = new PipelineConfig(new ImageShape(3, 8, 8), InputNormalization.UNIT_RANGE,
                LabelFormat.CLASS_ID, AugmentConfig.NONE, 2, false, 1, 0, 1);
        assertThatThrownBy(() -> data.trainIterator(pipeline))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ImageToImageFolderConfig.scaleFactor is 2")
                .hasMessageContaining("scaleFactor 1")
                .hasMessageContaining("mdunet superres");
    }

    @Test
    void syntheticSuperResolutionSetsAreBicubicInputsAtTheTargetsSize() {
        ImageToImageFolderConfig config = SyntheticShapes.writeImageToImage(dir, 2, 32, 2, 5);
        assertThat(config.scaleFactor()).isEqualTo(1);
        ImageToImageDataset data = ImageToImageDataset.open(config, BadSamplePolicy.FAIL);
        PipelineConfig pipeline = new PipelineConfig(new ImageShape(3, 32, 32), InputNormalization.UNIT_RANGE,
                LabelFormat.CLASS_ID, AugmentConfig.NONE, 2, false, 1, 0, 1);
        try (PairedDataSetIterator iterator = data.trainIterator(pipeline)) {
            DataSet batch = iterator.next();
            assertThat(batch.getLabels().shape()).containsExactly(batch.getFeatures().shape());
            // The first pair (no shuffling): its input is the degraded target, as the file holds it.
            DecodedImage target = ImageFiles.readImage(dir.resolve("targets/shapes_00000.png"), 3);
            DecodedImage expected = new Degradation(2).input(target);
            assertThat(batch.getLabels().get(point(0)).mul(255).sub(Nd4j.create(target.pixels(), 3, 32, 32))
                    .amaxNumber().doubleValue()).isLessThan(1e-3);
            float[] features = batch.getFeatures().get(point(0)).mul(255).dup('c').data().asFloat();
            for (int i = 0; i < features.length; i++) {
                float written = Math.max(0, Math.min(255, Math.round(expected.pixels()[i])));
                assertThat(features[i]).as("pixel %d", i).isCloseTo(written, within(1e-3f));
            }
        }
    }

    /** Colourisation data: a colour target (green dark, blue bright: luma far from the RGB mean) and its grey. */
    private ImageToImageFolderConfig colourisation() {
        int side = 16;
        int[] rgb = new int[side * side];
        int[] grey = new int[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int r = 100 + 4 * x;
                int g = 70 + 3 * y;
                int b = 190 - 2 * x;
                rgb[y * side + x] = r << 16 | g << 8 | b;
                grey[y * side + x] = (int) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
            }
        }
        TestImages.rgb(dir.resolve("targets/a.png"), side, side, rgb);
        TestImages.grey(dir.resolve("inputs/a.png"), side, side, grey);
        return new ImageToImageFolderConfig(dir.resolve("inputs"), dir.resolve("targets"), 1, 1, 3, new Split.None(),
                16);
    }

    /** Features then labels of one 16x16 sample in each of {@code epochs} epochs, on 0-255. */
    private static List<INDArray[]> samples(ImageToImageDataset data, int channels, ColorJitter jitter,
                                                      int epochs) {
        PipelineConfig pipeline = new PipelineConfig(new ImageShape(channels, 16, 16), InputNormalization.UNIT_RANGE,
                LabelFormat.CLASS_ID, AugmentConfig.NONE.withJitter(jitter), 1, false, 3, 1, 1);
        List<INDArray[]> samples = new ArrayList<>();
        try (PairedDataSetIterator iterator = data.trainIterator(pipeline)) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                DataSet batch = iterator.next();
                samples.add(new INDArray[] {batch.getFeatures().mul(255), batch.getLabels().mul(255)});
                iterator.reset();
            }
        }
        return samples;
    }

    @Test
    void colourisationBrightnessAndContrastKeepTheTargetsLumaTheInput() {
        ImageToImageDataset data = ImageToImageDataset.open(colourisation(), BadSamplePolicy.FAIL);
        // One brightness and contrast map, one pivot, for both.
        for (INDArray[] sample : samples(data, 1, new ColorJitter(0.1, 0.3, 0), 6)) {
            INDArray label = sample[1];
            INDArray luma = label.get(all(), point(0)).mul(0.299).add(label.get(all(), point(1)).mul(0.587))
                    .add(label.get(all(), point(2)).mul(0.114));
            double worst = luma.sub(sample[0].get(all(), point(0))).amaxNumber().doubleValue();
            assertThat(worst).as("largest |luma(target) - input| on 0-255").isLessThan(1.0);
        }
    }

    @Test
    void colourisationGetsNoSaturationOrHueJitter() {
        ImageToImageDataset data = ImageToImageDataset.open(colourisation(), BadSamplePolicy.FAIL);
        // A grey input cannot show saturation or hue, so the target does not get them either.
        INDArray plain = samples(data, 1, ColorJitter.NONE, 1).get(0)[1];
        for (INDArray[] sample : samples(data, 1, new ColorJitter(0, 0, 0.5, 0.4), 4)) {
            assertThat(sample[1]).isEqualTo(plain);
        }
    }

    @Test
    void sameChannelPairsKeepEveryJitterFactorIncludingSaturation() {
        int[] rgb = new int[16 * 16];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (100 + i % 16 * 4) << 16 | (70 + i / 16 * 3) << 8 | (190 - i % 16 * 2);
        }
        TestImages.rgb(dir.resolve("inputs/a.png"), 16, 16, rgb);
        TestImages.rgb(dir.resolve("targets/a.png"), 16, 16, rgb);
        ImageToImageDataset data = ImageToImageDataset.open(ImageToImageFolderConfig.of(dir, 1), BadSamplePolicy.FAIL);
        INDArray plain = samples(data, 3, ColorJitter.NONE, 1).get(0)[0];
        for (INDArray[] sample : samples(data, 3, new ColorJitter(0, 0, 0.5), 3)) {
            assertThat(sample[0]).isNotEqualTo(plain);
            assertThat(sample[1]).isEqualTo(sample[0]);
        }
        for (INDArray[] sample : samples(data, 3, new ColorJitter(0, 0, 0, 0.3), 3)) {
            assertThat(sample[0]).as("the hue turned").isNotEqualTo(plain);
            assertThat(sample[1]).isEqualTo(sample[0]);
        }
    }

    @Test
    void targetOfTheWrongScaleIsNamed() {
        TestImages.solid(dir.resolve("inputs/a.png"), 8, 8, 0);
        TestImages.solid(dir.resolve("targets/a.png"), 24, 24, 0);
        assertThatThrownBy(() -> ImageToImageDataset.open(ImageToImageFolderConfig.of(dir, 2), BadSamplePolicy.FAIL))
                .isInstanceOf(DatasetValidationException.class)
                .hasMessageContaining("targets/a.png: target is 24x24 (width x height) but its input inputs/a.png"
                        + " is 8x8; expected 16x16 (scale factor 2)");
    }
}
