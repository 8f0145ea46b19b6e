package io.github.mdunet.examples.evaluate;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.predict.ImageFraming;
import io.github.mdunet.core.predict.TiledPredictor;
import io.github.mdunet.data.augment.Geometry;
import io.github.mdunet.data.augment.Interpolation;
import io.github.mdunet.data.augment.JointAugmenter;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.image.PixelNormalizer;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A U-Net's class probabilities for an image file of any size: read as the model reads its inputs (channels,
 * normalisation, EXIF orientation), and framed as {@link ImageFraming} says: in tiles of the model's input at the
 * image's own scale, or stretched to the input and back.
 */
public final class ImagePredictor {

    /**
     * One image's prediction.
     *
     * @param picture       the image as read (upright), RGB, for overlays
     * @param probabilities {@code [K, H, W]} at the image's own size
     */
    public record Prediction(BufferedImage picture, INDArray probabilities) {
    }

    private final int channels;
    private final int inputHeight;
    private final int inputWidth;
    private final PixelNormalizer normalizer;
    private final TiledPredictor predictor;
    private final ImageFraming framing;

    /**
     * @param predictor what predicts a normalised {@code [C, H, W]} image (one tile when it is the input's size)
     * @param framing   how an image of another size becomes the model's input
     */
    public ImagePredictor(UNet unet, TiledPredictor predictor, ImageFraming framing) {
        this.channels = unet.config().input().channels();
        this.inputHeight = unet.config().input().height();
        this.inputWidth = unet.config().input().width();
        this.normalizer = new PixelNormalizer(unet.config().encoder().inputNormalization());
        this.predictor = predictor;
        this.framing = framing;
    }

    /** One model on this thread; tiles overlap by {@code overlap} pixels (at most half the input's smaller side). */
    public static ImagePredictor of(UNet unet, int overlap, ImageFraming framing) {
        return new ImagePredictor(unet, TiledPredictor.of(unet, tileOverlap(unet, overlap)), framing);
    }

    /** {@code overlap}, at most half the model input's smaller side. */
    public static int tileOverlap(UNet unet, int overlap) {
        return Math.min(overlap, Math.min(unet.config().input().height(), unet.config().input().width()) / 2);
    }

    public Prediction predict(Path file) {
        DecodedImage image = ImageFiles.readImage(file, channels);
        int height = image.height();
        int width = image.width();
        float[] normalized = new float[channels * height * width];
        normalizer.normalize(image.pixels(), channels, height * width, normalized, 0);
        INDArray probabilities = framing == ImageFraming.RESIZE && (height != inputHeight || width != inputWidth)
                ? stretched(normalized, height, width)
                : predictor.predict(Nd4j.create(normalized, channels, height, width));
        DecodedImage picture = channels == 3 ? image : ImageFiles.readImage(file, 3);
        return new Prediction(picture.toPicture(), probabilities);
    }

    /** The image stretched to the model's input as validation after a stretching augmentation does, and back. */
    private INDArray stretched(float[] normalized, int height, int width) {
        float[] input = JointAugmenter.resampleImage(normalized, channels, height, width,
                stretch(height, width, inputHeight, inputWidth), inputHeight, inputWidth, Interpolation.BILINEAR);
        INDArray output = predictor.predict(Nd4j.create(input, channels, inputHeight, inputWidth));
        int classes = (int) output.size(0);
        float[] back = JointAugmenter.resampleImage(output.castTo(DataType.FLOAT).dup('c').data().asFloat(), classes,
                inputHeight, inputWidth, stretch(inputHeight, inputWidth, height, width), height, width,
                Interpolation.BILINEAR);
        return Nd4j.create(back, classes, height, width);
    }

    /**
     * The map from a {@code toHeight x toWidth} output to a {@code fromHeight x fromWidth} source that stretches, as
     * {@link io.github.mdunet.data.augment.Framing#RESIZE} frames validation batches.
     */
    private static Geometry stretch(int fromHeight, int fromWidth, int toHeight, int toWidth) {
        return Geometry.scale((double) fromWidth / toWidth, (double) fromHeight / toHeight);
    }
}
