package io.github.mdunet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.data.augment.AugmentConfig;
import io.github.mdunet.data.augment.ColorJitter;
import io.github.mdunet.data.folder.ImageToImageFolderConfig;
import io.github.mdunet.data.folder.Split;
import io.github.mdunet.data.pipeline.LabelFormat;
import io.github.mdunet.data.pipeline.PairedDataSetIterator;
import io.github.mdunet.data.pipeline.PipelineConfig;
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

class ImageToImageDatasetTest {

    @TempDir
    Path dir;

    @Test
    void superResolutionTargetsFollowTheInputsGeometryExactly() {
        int scale = 2;
        ImageToImageFolderConfig config = SyntheticShapes.writeImageToImage(dir, 4, 32, scale, 5)
                .withSplit(new Split.BySeed(0.25, 1));
        ImageToImageDataset data = ImageToImageDataset.open(config, BadSamplePolicy.FAIL);
        PipelineConfig pipeline = new PipelineConfig(new ImageShape(3, 10, 12), InputNormalization.UNIT_RANGE,
                LabelFormat.CLASS_ID, AugmentConfig.flipsAndCrops(), 3, true, 9, 1, 1);
        PairedDataSetIterator iterator = data.trainIterator(pipeline);
        for (int epoch = 0; epoch < 4; epoch++) {
            DataSet batch = iterator.next();
            INDArray input = batch.getFeatures();
            INDArray target = batch.getLabels();
            assertThat(input.shape()).containsExactly(3, 3, 10, 12);
            assertThat(target.shape()).containsExactly(3, 3, 20, 24);
            // The inputs were written as rounded 2x2 box averages of the targets; augmentation must keep that.
            for (int n = 0; n < 3; n++) {
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < 10; y++) {
                        for (int x = 0; x < 12; x++) {
                            double sum = 0;
                            for (int dy = 0; dy < 2; dy++) {
                                for (int dx = 0; dx < 2; dx++) {
                                    sum += Math.round(target.getDouble(n, c, 2 * y + dy, 2 * x + dx) * 255);
                                }
                            }
                            assertThat(Math.round(input.getDouble(n, c, y, x) * 255))
                                    .isEqualTo((long) Math.floor((sum + 2) / 4));
                        }
                    }
                }
            }
            iterator.reset();
        }
        assertThat(data.validationIterator(pipeline).next().getLabels().shape()).containsExactly(1, 3, 20, 24);
        iterator.close();
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
        return new ImageToImageFolderConfig(dir.resolve("inputs"), dir.resolve("targets"), 1, 1, 3, new Split.None());
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
    void colourisationGetsNoSaturationJitter() {
        ImageToImageDataset data = ImageToImageDataset.open(colourisation(), BadSamplePolicy.FAIL);
        // A grey input cannot show saturation, so the target does not get it either.
        INDArray plain = samples(data, 1, ColorJitter.NONE, 1).get(0)[1];
        for (INDArray[] sample : samples(data, 1, new ColorJitter(0, 0, 0.5), 4)) {
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
