package io.github.mdunet.examples.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.predict.ImageFraming;
import io.github.mdunet.core.predict.Mirror;
import io.github.mdunet.core.predict.TiledPredictor;
import io.github.mdunet.core.testing.NativeAllocations;
import io.github.mdunet.data.augment.AugmentConfig;
import io.github.mdunet.data.augment.AugmentPreset;
import io.github.mdunet.data.augment.Framing;
import io.github.mdunet.data.augment.Interpolation;
import io.github.mdunet.data.augment.JointAugmenter;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** An image of another size than the model's input, seen in tiles at its own scale or stretched to the input. */
class ImagePredictorTest {

    private static final int SIDE = 16;

    @TempDir
    Path directory;

    private final UNet unet = TinyUNet.of(SIDE);

    /**
     * A picture twice the input's size, each pixel of an input-sized picture repeated 2 x 2: stretched to the input
     * it is that picture again, so the prediction is the small picture's, stretched back to the large one's size.
     * Tiles at the large picture's own scale see other content and answer otherwise.
     */
    @Test
    void resizeAnswersWithTheInputSizedPredictionStretchedBack() throws IOException {
        BufferedImage small = noise(SIDE, SIDE, 1);
        BufferedImage large = new BufferedImage(2 * SIDE, 2 * SIDE, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 2 * SIDE; y++) {
            for (int x = 0; x < 2 * SIDE; x++) {
                large.setRGB(x, y, small.getRGB(x / 2, y / 2));
            }
        }
        Path smallFile = write(small, "small.png");
        Path largeFile = write(large, "large.png");

        INDArray atInput = ImagePredictor.of(unet, 4, ImageFraming.TILES).predict(smallFile).probabilities();
        INDArray resized = ImagePredictor.of(unet, 4, ImageFraming.RESIZE).predict(largeFile).probabilities();
        INDArray tiled = ImagePredictor.of(unet, 4, ImageFraming.TILES).predict(largeFile).probabilities();

        float[] back = JointAugmenter.resampleImage(atInput.castTo(DataType.FLOAT).dup('c').data().asFloat(), 3, SIDE,
                SIDE, new JointAugmenter(AugmentConfig.NONE).draw(new SplittableRandom(0), SIDE, SIDE, 2 * SIDE,
                        2 * SIDE).geometry(), 2 * SIDE, 2 * SIDE, Interpolation.BILINEAR);
        assertThat(resized.shape()).containsExactly(3, 2 * SIDE, 2 * SIDE);
        assertThat(resized.castTo(DataType.FLOAT).equalsWithEps(Nd4j.create(back, 3, 2 * SIDE, 2 * SIDE), 1e-5))
                .isTrue();
        assertThat(tiled.equalsWithEps(resized, 1e-3)).isFalse();
    }

    /**
     * The cropping augmentations scale an image smaller than the input up until it covers it: so do tiles. A square
     * half-size image covers the input at scale 2, which is the stretch: both framings answer alike. Before, tiles
     * padded it with its edge pixels at scale 1, a view training never gave.
     */
    @Test
    void tilesScaleAnImageSmallerThanTheInputUpToCoverIt() throws IOException {
        Path half = write(noise(SIDE / 2, SIDE / 2, 3), "half.png");

        INDArray tiled = ImagePredictor.of(unet, 4, ImageFraming.TILES).predict(half).probabilities();
        INDArray stretched = ImagePredictor.of(unet, 4, ImageFraming.RESIZE).predict(half).probabilities();

        assertThat(tiled.shape()).containsExactly(3, SIDE / 2, SIDE / 2);
        assertThat(tiled.castTo(DataType.FLOAT).equalsWithEps(stretched.castTo(DataType.FLOAT), 1e-5)).isTrue();
        Path wide = write(noise(SIDE + 8, SIDE / 2, 4), "wide.png");
        assertThat(ImagePredictor.of(unet, 4, ImageFraming.TILES).predict(wide).probabilities().shape())
                .containsExactly(3, SIDE / 2, SIDE + 8);
    }

    /**
     * A model whose training crops showed images at half their scale ({@code --zoom 0.5,0.5}: validation at 0.5, the
     * scale its record keeps) sees a picture twice the input's size in tiles at half its size: one tile of the whole
     * picture, which is the stretch. Without the record, tiles see it at its own scale, which training never showed.
     */
    @Test
    void tilesSeeImagesAtTheScaleTheTrainingCropsShowed() throws IOException {
        AugmentConfig zoomedOut = AugmentConfig.NONE.withFraming(Framing.RANDOM_CROP).withScale(0.5, 0.5);
        assertThat(zoomedOut.trainingRecord().scale()).hasValue(0.5);
        UNet halfScale = unet.withTrainingRecord(zoomedOut.trainingRecord());
        Path file = write(noise(2 * SIDE, 2 * SIDE, 5), "large.png");

        INDArray tiled = ImagePredictor.of(halfScale, 4, ImageFraming.TILES).predict(file).probabilities();
        INDArray stretched = ImagePredictor.of(unet, 4, ImageFraming.RESIZE).predict(file).probabilities();
        INDArray ownScale = ImagePredictor.of(unet, 4, ImageFraming.TILES).predict(file).probabilities();

        assertThat(tiled.shape()).containsExactly(3, 2 * SIDE, 2 * SIDE);
        assertThat(tiled.castTo(DataType.FLOAT).equalsWithEps(stretched.castTo(DataType.FLOAT), 1e-5)).isTrue();
        assertThat(ownScale.equalsWithEps(tiled, 1e-3)).isFalse();
        Path odd = write(noise(85, 17, 6), "odd.png");
        assertThat(ImagePredictor.of(halfScale, 4, ImageFraming.TILES).predict(odd).probabilities().shape())
                .containsExactly(3, 17, 85);
    }

    /**
     * Test-time flips average over the mirror images the model's training showed: after left-right flips only (the
     * fastai preset), the image and its left-right mirror; a model trained without flips is refused, naming why.
     */
    @Test
    void averagedFlipsAreThoseTheTrainingShowed() throws IOException {
        assertThat(AugmentPreset.FASTAI.config().mirrors()).containsExactly(Mirror.LEFT_RIGHT);
        UNet leftRight = unet.withTrainingRecord(AugmentPreset.FASTAI.config().trainingRecord());
        BufferedImage picture = noise(SIDE, SIDE, 7);
        Path file = write(picture, "picture.png");
        ImagePredictor single = ImagePredictor.of(leftRight, 4, ImageFraming.TILES);

        INDArray averaged = single.withFlipsAveraged().predict(file).probabilities();

        INDArray mirrored = single.predict(write(mirror(picture, true, false), "mirrored.png")).probabilities();
        INDArray mean = single.predict(file).probabilities().castTo(DataType.FLOAT)
                .add(mirror(mirrored.castTo(DataType.FLOAT), true, false)).divi(2);
        assertThat(averaged.equalsWithEps(mean, 1e-5)).isTrue();
        UNet none = unet.withTrainingRecord(AugmentConfig.NONE.trainingRecord());
        assertThatThrownBy(() -> ImagePredictor.of(none, 4, ImageFraming.RESIZE).withFlipsAveraged())
                .isInstanceOf(IllegalStateException.class).hasMessage(ImagePredictor.NO_MIRRORS);
        assertThat(ImagePredictor.testTimeMirrors(unet)).as("a model that records none: all three")
                .containsExactlyInAnyOrder(Mirror.values());
    }

    @Test
    void anInputSizedImageIsOnePredictionEitherWay() throws IOException {
        Path file = write(noise(SIDE, SIDE, 2), "input.png");
        assertThat(ImagePredictor.of(unet, 4, ImageFraming.RESIZE).predict(file).probabilities())
                .isEqualTo(ImagePredictor.of(unet, 4, ImageFraming.TILES).predict(file).probabilities());
    }

    @Test
    void aStretchingAugmentationIsPredictedStretchedAndCropsInTiles() {
        assertThat(AugmentPreset.FLIPS.config().predictionFraming()).isEqualTo(ImageFraming.RESIZE);
        assertThat(AugmentConfig.NONE.predictionFraming()).isEqualTo(ImageFraming.RESIZE);
        assertThat(AugmentPreset.FLIPS_TURNS.config().predictionFraming()).isEqualTo(ImageFraming.TILES);
        assertThat(AugmentConfig.standard().predictionFraming()).isEqualTo(ImageFraming.TILES);
    }

    /**
     * Test-time flips: the prediction of a mirrored image is the mirrored prediction of the image (the four mirror
     * images are a group), which a single prediction of this untrained, asymmetric network is not; and it is the mean
     * of the four predictions, each mirrored back. Also through tiles and a stretch (images larger than the input).
     */
    @Test
    void averagedFlipsAreTheMeanOfTheMirroredPredictionsAndMirrorWithTheImage() throws IOException {
        for (ImageFraming framing : ImageFraming.values()) {
            int width = SIDE + 8;
            int height = SIDE + 4;
            BufferedImage picture = noise(width, height, 3);
            Path file = write(picture, "picture.png");
            Path mirroredFile = write(mirror(picture, true, false), "mirrored.png");
            ImagePredictor single = ImagePredictor.of(unet, 4, framing);
            ImagePredictor averaged = single.withFlipsAveraged();

            INDArray probabilities = averaged.predict(file).probabilities();
            INDArray ofMirror = averaged.predict(mirroredFile).probabilities();
            assertThat(ofMirror.equalsWithEps(mirror(probabilities, true, false), 1e-5)).as("%s", framing).isTrue();
            INDArray singleOfMirror = single.predict(mirroredFile).probabilities();
            assertThat(singleOfMirror.equalsWithEps(mirror(single.predict(file).probabilities(), true, false), 1e-3))
                    .as("a single prediction does not mirror with the image").isFalse();

            INDArray mean = single.predict(file).probabilities().castTo(DataType.FLOAT).dup();
            boolean[][] mirrors = {{true, false}, {false, true}, {true, true}};
            for (boolean[] m : mirrors) {
                Path mirrored = write(mirror(picture, m[0], m[1]), "m" + m[0] + m[1] + ".png");
                mean.addi(mirror(single.predict(mirrored).probabilities().castTo(DataType.FLOAT), m[0], m[1]));
            }
            assertThat(probabilities.equalsWithEps(mean.divi(4), 1e-5)).as("%s", framing).isTrue();
        }
    }

    /**
     * Test-time flips mirror each prediction back in place: averaging four predictions allocates no more native
     * memory than four single predictions (before, each mirror took two more copies of the probabilities). Counted
     * by a workspace that spills every array, with a model that makes its outputs outside it.
     */
    @Test
    void averagedFlipsAllocateNoMoreThanFourPredictions() throws IOException {
        Path file = write(noise(SIDE, SIDE + 6, 4), "picture.png");
        UnaryOperator<INDArray> model = input -> {
            try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                return input.repeat(1, 7);
            }
        };
        ImagePredictor single = new ImagePredictor(unet, new TiledPredictor(model, SIDE, SIDE, 4), ImageFraming.TILES);
        long once = NativeAllocations.of(() -> single.predict(file));
        long averaged = NativeAllocations.of(() -> single.withFlipsAveraged().predict(file));
        assertThat(once).isPositive();
        assertThat(averaged).as("bytes allocated by four predictions averaged; one prediction allocates %d", once)
                .isLessThanOrEqualTo(4 * once);
    }

    private static BufferedImage mirror(BufferedImage image, boolean leftRight, boolean topBottom) {
        int width = image.getWidth();
        int height = image.getHeight();
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                out.setRGB(x, y, image.getRGB(leftRight ? width - 1 - x : x, topBottom ? height - 1 - y : y));
            }
        }
        return out;
    }

    /** {@code [K, H, W]} mirrored, built element by element (independently of the predictor's resampling). */
    private static INDArray mirror(INDArray probabilities, boolean leftRight, boolean topBottom) {
        long classes = probabilities.size(0);
        long height = probabilities.size(1);
        long width = probabilities.size(2);
        INDArray out = Nd4j.create(DataType.FLOAT, classes, height, width);
        for (long k = 0; k < classes; k++) {
            for (long y = 0; y < height; y++) {
                for (long x = 0; x < width; x++) {
                    out.putScalar(new long[] {k, y, x}, probabilities.getFloat(k, topBottom ? height - 1 - y : y,
                            leftRight ? width - 1 - x : x));
                }
            }
        }
        return out;
    }

    /**
     * A 16-bit picture of 12-bit values (a 12-bit camera's) is predicted as its 8-bit twin by a model that records
     * its training images were read at 12 bits, and as a dark picture by one that records none.
     */
    @Test
    void aModelRecordingTwelveBitsReadsTwelveBitPicturesAsTheirEightBitTwins() throws IOException {
        BufferedImage eightBit = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        ComponentColorModel sixteenBitColours = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
                false, false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster twelveBitSamples = sixteenBitColours.createCompatibleWritableRaster(SIDE, SIDE);
        SplittableRandom random = new SplittableRandom(5);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    int step = random.nextInt(16); // 17 * step of 255 is 273 * step of 4095, exactly
                    rgb = rgb << 8 | 17 * step;
                    twelveBitSamples.setSample(x, y, c, 273 * step);
                }
                eightBit.setRGB(x, y, rgb);
            }
        }
        Path eightBitFile = write(eightBit, "eight.png");
        Path twelveBitFile = write(new BufferedImage(sixteenBitColours, twelveBitSamples, false, null), "twelve.png");

        INDArray twin = ImagePredictor.of(unet, 4, ImageFraming.TILES).predict(eightBitFile).probabilities();
        INDArray twelve = ImagePredictor.of(unet.withTrainedSignificantBits(12), 4, ImageFraming.TILES)
                .predict(twelveBitFile).probabilities();
        INDArray dark = ImagePredictor.of(unet, 4, ImageFraming.TILES).predict(twelveBitFile).probabilities();

        assertThat(twelve.equalsWithEps(twin, 1e-5)).as("read at 12 bits: the twin's prediction").isTrue();
        assertThat(dark.equalsWithEps(twin, 1e-3)).as("read at 16 bits: values up to 16 of 255").isFalse();
    }

    private static BufferedImage noise(int width, int height, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    private Path write(BufferedImage image, String name) throws IOException {
        Path file = directory.resolve(name);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }
}
