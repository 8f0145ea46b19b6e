package io.github.mdunet.core.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.testing.NativeAllocations;
import java.awt.image.BufferedImage;
import java.util.function.UnaryOperator;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

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

    /**
     * A FLOAT model's tiles are blended in FLOAT, and the result is the plain weighted mean of the tiles that cover a
     * pixel, each weighted by the window: checked against that sum written out pixel by pixel in double, on a
     * non-square image of 3 x 5 tiles, with a model whose output depends on the position within the tile.
     */
    @Test
    void aFloatModelIsBlendedInFloatAsTheWeightedMeanOfItsTiles() {
        int tileHeight = 16;
        int tileWidth = 24;
        int overlap = 6;
        INDArray image = Nd4j.rand(DataType.FLOAT, 2, 35, 87);
        UnaryOperator<INDArray> model = TiledPredictorTest::positionDependentModel;
        INDArray result = new TiledPredictor(model, tileHeight, tileWidth, overlap).predict(image);

        int height = 35;
        int width = 87;
        int[] tops = TiledPredictor.starts(height, tileHeight, overlap);
        int[] lefts = TiledPredictor.starts(width, tileWidth, overlap);
        assertThat(tops).hasSize(3);
        assertThat(lefts).hasSize(5);
        double[][][] sum = new double[3][height][width];
        double[][] weights = new double[height][width];
        for (int top : tops) {
            for (int left : lefts) {
                INDArray tile = image.get(NDArrayIndex.all(), NDArrayIndex.interval(top, top + tileHeight),
                        NDArrayIndex.interval(left, left + tileWidth)).dup().reshape(1, 2, tileHeight, tileWidth);
                INDArray prediction = model.apply(tile);
                for (int y = 0; y < tileHeight; y++) {
                    for (int x = 0; x < tileWidth; x++) {
                        double weight = referenceRamp(y, tileHeight, overlap) * referenceRamp(x, tileWidth, overlap);
                        weights[top + y][left + x] += weight;
                        for (int k = 0; k < 3; k++) {
                            sum[k][top + y][left + x] += weight * prediction.getDouble(0, k, y, x);
                        }
                    }
                }
            }
        }
        assertThat(result.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(result.shape()).containsExactly(3, height, width);
        for (int k = 0; k < 3; k++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    assertThat(result.getDouble(k, y, x)).as("(%d, %d, %d)", k, y, x)
                            .isCloseTo(sum[k][y][x] / weights[y][x], Offset.offset(1e-5));
                }
            }
        }
    }

    /** {@code [1, 2, h, w]} to {@code [1, 3, h, w]}: each output mixes the inputs with the position in the tile. */
    private static INDArray positionDependentModel(INDArray tile) {
        long height = tile.size(2);
        long width = tile.size(3);
        INDArray columns = Nd4j.linspace(0, 1, width, DataType.FLOAT).reshape(1, 1, 1, width)
                .broadcast(1, 1, height, width);
        INDArray rows = Nd4j.linspace(1, 2, height, DataType.FLOAT).reshape(1, 1, height, 1)
                .broadcast(1, 1, height, width);
        INDArray first = tile.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 1));
        INDArray second = tile.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 2));
        return Nd4j.concat(1, first.mul(columns), second.add(rows), first.mul(second).sub(columns));
    }

    /** The window's ramp as documented: rising linearly over {@code overlap} pixels from each edge, never 0. */
    private static double referenceRamp(int i, int size, int overlap) {
        int distance = Math.min(i, size - 1 - i);
        return distance >= overlap ? 1.0 : (distance + 1.0) / (overlap + 1.0);
    }

    /**
     * What predicting a FLOAT image with a FLOAT model allocates, counted by a workspace that spills every array: the
     * model's outputs (made outside it), the tile copies the model reads, one FLOAT {@code [K, H, W]} map that is
     * the result, its {@code [H, W]} weights, one weighted tile and the window; no DOUBLE map, no copy per channel
     * or per tile, no copy of the result.
     */
    @Test
    void aFloatPredictionAllocatesOneFloatMapBesidesTheTiles() {
        int classes = 8;
        int height = 96;
        int width = 160;
        int tile = 32;
        INDArray image = Nd4j.rand(DataType.FLOAT, 1, height, width);
        UnaryOperator<INDArray> model = input -> {
            try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                return input.repeat(1, classes);
            }
        };
        TiledPredictor tiled = new TiledPredictor(model, tile, tile, 8);
        int tiles = TiledPredictor.starts(height, tile, 8).length * TiledPredictor.starts(width, tile, 8).length;
        NativeAllocations.Counted<INDArray> predicted = NativeAllocations.counted(() -> tiled.predict(image));
        assertThat(predicted.result().dataType()).isEqualTo(DataType.FLOAT);
        long allocated = predicted.bytes();
        long floatBytes = 4;
        long map = classes * height * width * floatBytes;
        long weights = height * width * floatBytes;
        long tileInputs = tiles * tile * tile * floatBytes;
        long weightedTile = classes * tile * tile * floatBytes;
        long window = tile * tile * (8 + floatBytes); // made in DOUBLE, then cast
        assertThat(allocated).as("bytes allocated by predict (the map %d, weights %d, tile inputs %d, weighted tile %d,"
                + " window %d)", map, weights, tileInputs, weightedTile, window)
                .isLessThanOrEqualTo(map + weights + tileInputs + weightedTile + window);
    }

    /** A FLOAT image smaller than a tile is padded, blended in FLOAT and cropped back. */
    @Test
    void aSmallerFloatImageIsPaddedAndCroppedBack() {
        INDArray image = Nd4j.rand(DataType.FLOAT, 1, 10, 7);
        INDArray result = new TiledPredictor(tile -> tile.add(1.0), 16, 16, 4).predict(image);
        assertThat(result.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(result.shape()).containsExactly(1, 10, 7);
        assertThat(result.equalsWithEps(image.add(1.0), 1e-6)).isTrue();
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
        INDArray probabilities = unet.tiledPredictor(8).predict(Nd4j.rand(DataType.FLOAT, 1, 50, 90));
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

    /** Beyond 256 classes a mask is 16-bit, as the training masks of so many classes are: no id is cut. */
    @Test
    void masksOfMoreThan256ClassesAreSixteenBit() {
        int[][] ids = {{0, 300}, {256, 65535}};
        BufferedImage mask = MaskImages.classIdImage(ids, MaskImages.SIXTEEN_BIT_CLASSES);
        assertThat(mask.getType()).isEqualTo(BufferedImage.TYPE_USHORT_GRAY);
        assertThat(mask.getRaster().getSample(1, 0, 0)).isEqualTo(300);
        assertThat(mask.getRaster().getSample(1, 1, 0)).isEqualTo(65535);
        assertThat(MaskImages.classIdImage(new int[][] {{255}}, MaskImages.EIGHT_BIT_CLASSES).getType())
                .isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
        assertThatThrownBy(() -> MaskImages.classIdImage(ids, MaskImages.SIXTEEN_BIT_CLASSES + 1))
                .hasMessageContaining("numClasses must be in [1, 65536]");
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
        BufferedImage mask = MaskImages.classIdImage(ids, 3);
        assertThat(mask.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
        assertThat(mask.getRaster().getSample(1, 0, 0)).isEqualTo(2);
        assertThatThrownBy(() -> MaskImages.classIdImage(ids, 2))
                .hasMessageContaining("class id 2 at (0, 1) is not one of the 2 classes 0..1");
        BufferedImage grey = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        BufferedImage overlay = MaskImages.overlay(grey, ids, 1.0);
        assertThat(overlay.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0);
        assertThat(overlay.getRGB(1, 0) & 0xFFFFFF).isEqualTo(MaskImages.PALETTE.get(2));
        assertThat(MaskImages.classIds(Nd4j.create(new float[] {0.2f, 0.7f}, 1, 1, 2)))
                .isDeepEqualTo(new int[][] {{0, 1}});
    }
}
