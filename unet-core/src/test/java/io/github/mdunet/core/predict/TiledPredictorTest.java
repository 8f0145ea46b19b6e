package io.github.mdunet.core.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.model.UNet;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TiledPredictorTest {

    @Test
    void tilesCoverTheImageAndTheLastOneIsAlignedWithTheEnd() {
        assertThat(TiledPredictor.starts(100, 32, 8)).containsExactly(0, 24, 48, 68);
        assertThat(TiledPredictor.starts(32, 32, 8)).containsExactly(0);
        assertThat(TiledPredictor.starts(20, 32, 8)).containsExactly(0);
    }

    /** With a model that copies a position-dependent input, stitching must give back the input exactly. */
    @Test
    void blendingReassemblesAPixelwiseModelExactly() {
        INDArray image = Nd4j.rand(DataType.DOUBLE, 2, 45, 70);
        TiledPredictor tiled = new TiledPredictor(tile -> tile.mul(3.0), 16, 24, 6);
        INDArray result = tiled.predict(image);
        assertThat(result.shape()).containsExactly(2, 45, 70);
        assertThat(result.equalsWithEps(image.mul(3.0), 1e-9)).isTrue();
    }

    @Test
    void smallerImagesArePaddedAndCroppedBack() {
        INDArray image = Nd4j.rand(DataType.DOUBLE, 1, 10, 7);
        INDArray result = new TiledPredictor(tile -> tile.add(1.0), 16, 16, 4).predict(image);
        assertThat(result.equalsWithEps(image.add(1.0), 1e-9)).isTrue();
    }

    /** Padding replicates the last row and column (the corner takes the last pixel), on a non-square image. */
    @Test
    void paddingReplicatesTheLastRowAndColumn() {
        INDArray image = Nd4j.rand(DataType.FLOAT, 2, 5, 3);
        assertPaddedByReplication(image, TiledPredictor.padToAtLeast(image, 8, 7), 8, 7);
        assertPaddedByReplication(image, TiledPredictor.padToAtLeast(image, 4, 6), 5, 6);
        assertPaddedByReplication(image, TiledPredictor.padToAtLeast(image, 9, 2), 9, 3);
        assertThat(TiledPredictor.padToAtLeast(image, 5, 3)).isSameAs(image);
    }

    /** The rule padding followed before it was done in bulk: each pixel copies the nearest one inside. */
    private static void assertPaddedByReplication(INDArray image, INDArray padded, int height, int width) {
        assertThat(padded.shape()).containsExactly(image.size(0), height, width);
        assertThat(padded.dataType()).isEqualTo(image.dataType());
        for (int c = 0; c < image.size(0); c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    long sourceY = Math.min(y, image.size(1) - 1);
                    long sourceX = Math.min(x, image.size(2) - 1);
                    assertThat(padded.getDouble(c, y, x)).as("(%d, %d, %d)", c, y, x)
                            .isEqualTo(image.getDouble(c, sourceY, sourceX));
                }
            }
        }
    }

    @Test
    void aUNetPredictsAnImageLargerThanItsInput() {
        UNet unet = UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(2, 2, Normalization.BATCH))
                .input(new ImageShape(1, 32, 32)).numClasses(3).build());
        INDArray probabilities = TiledPredictor.of(unet, 8).predict(Nd4j.rand(DataType.FLOAT, 1, 50, 90));
        assertThat(probabilities.shape()).containsExactly(3, 50, 90);
        assertThat(probabilities.sum(0).minNumber().doubleValue()).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> new TiledPredictor(t -> t, 16, 16, 9))
                .hasMessageContaining("overlap must be in [0, 8] for 16x16 tiles but was 9");
        assertThatThrownBy(() -> new TiledPredictor(t -> t, 16, 16, 2).predict(Nd4j.rand(1, 1, 4, 4)))
                .hasMessageContaining("one image [C, H, W] but got shape [1, 1, 4, 4]");
    }

    @Test
    void masksAndOverlaysCarryTheClassIds() {
        INDArray probabilities = Nd4j.zeros(DataType.FLOAT, 3, 2, 2);
        probabilities.putScalar(new int[] {0, 0, 0}, 1);
        probabilities.putScalar(new int[] {2, 0, 1}, 1);
        probabilities.putScalar(new int[] {1, 1, 0}, 1);
        probabilities.putScalar(new int[] {2, 1, 1}, 1);
        int[][] ids = MaskImages.classIds(probabilities);
        assertThat(ids).isDeepEqualTo(new int[][] {{0, 2}, {1, 2}});
        BufferedImage mask = MaskImages.classIdImage(ids);
        assertThat(mask.getRaster().getSample(1, 0, 0)).isEqualTo(2);
        BufferedImage grey = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        BufferedImage overlay = MaskImages.overlay(grey, ids, 1.0);
        assertThat(overlay.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0);
        assertThat(overlay.getRGB(1, 0) & 0xFFFFFF).isEqualTo(MaskImages.PALETTE.get(2));
        assertThat(MaskImages.classIds(Nd4j.create(new float[] {0.2f, 0.7f}, 1, 1, 2)))
                .isDeepEqualTo(new int[][] {{0, 1}});
    }
}
