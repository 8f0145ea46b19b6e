package io.github.mdunet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.data.augment.AugmentConfig;
import io.github.mdunet.data.folder.ImageToImageFolderConfig;
import io.github.mdunet.data.folder.Split;
import io.github.mdunet.data.pipeline.LabelFormat;
import io.github.mdunet.data.pipeline.PairedDataSetIterator;
import io.github.mdunet.data.pipeline.PipelineConfig;
import io.github.mdunet.data.synthetic.SyntheticShapes;
import io.github.mdunet.data.validate.BadSamplePolicy;
import io.github.mdunet.data.validate.DatasetValidationException;
import java.nio.file.Path;
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
