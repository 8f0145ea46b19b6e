package io.github.mdunet.examples.evaluate;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.predict.ImageFraming;
import io.github.mdunet.core.predict.Mirror;
import io.github.mdunet.core.predict.TiledPredictor;
import io.github.mdunet.data.augment.Geometry;
import io.github.mdunet.data.augment.Interpolation;
import io.github.mdunet.data.augment.JointAugmenter;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.image.PixelNormalizer;
import io.github.mdunet.data.image.SampleDepth;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Reverse;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A U-Net's class probabilities for an image file of any size: read as the model reads its inputs (channels,
 * normalisation, EXIF orientation, a 16-bit file's samples at the model's {@link UNet#trainedSignificantBits()}, else
 * all 16 bits), and framed as {@link ImageFraming} says: in tiles of the model's input at the scale its training
 * crops showed images at ({@code TrainingRecord.scale}, else the image's own), or stretched to the input and back.
 * With {@link #withFlipsAveraged()} (test-time augmentation, as ttach's flip transforms and fastai's
 * {@code Learner.tta}, which reuses the training transforms): the mean of the probabilities of the image and of the
 * mirror images its training showed ({@code TrainingRecord.mirrors}: left-right, top-bottom, both; all three for a
 * model that records none), each mirrored back.
 */
public final class ImagePredictor {

    /** Why {@link #withFlipsAveraged()} refuses a model whose training showed no mirror image. */
    public static final String NO_MIRRORS = "the model's training showed it no mirror image (no flip or turn, its file"
            + " records): averaging over mirror images would show it images it never learnt";

    /**
     * One image's prediction.
     *
     * @param picture       the image as read (upright), RGB, for overlays
     * @param probabilities {@code [K, H, W]} at the image's own size
     */
    public record Prediction(BufferedImage picture, INDArray probabilities) {
    }

    private final int channels;
    private final int outputChannels;
    private final int significantBits;
    private final int inputHeight;
    private final int inputWidth;
    private final PixelNormalizer normalizer;
    private final TiledPredictor predictor;
    private final ImageFraming framing;
    private final double scale;
    private final Set<Mirror> mirrors;
    private final boolean flipsAveraged;

    /**
     * @param predictor what predicts a normalised {@code [C, H, W]} image (one tile when it is the input's size)
     * @param framing   how an image of another size becomes the model's input
     */
    public ImagePredictor(UNet unet, TiledPredictor predictor, ImageFraming framing) {
        this(unet.config().input().channels(), unet.config().numClasses(), significantBits(unet),
                unet.config().input().height(), unet.config().input().width(),
                new PixelNormalizer(unet.config().encoder().inputNormalization()), predictor, framing,
                unet.trainingRecord().scale().orElse(1), testTimeMirrors(unet), false);
    }

    private ImagePredictor(int channels, int outputChannels, int significantBits, int inputHeight, int inputWidth,
                           PixelNormalizer normalizer, TiledPredictor predictor, ImageFraming framing, double scale,
                           Set<Mirror> mirrors, boolean flipsAveraged) {
        this.channels = channels;
        this.outputChannels = outputChannels;
        this.significantBits = significantBits;
        this.inputHeight = inputHeight;
        this.inputWidth = inputWidth;
        this.normalizer = normalizer;
        this.predictor = predictor;
        this.framing = framing;
        this.scale = scale;
        this.mirrors = mirrors;
        this.flipsAveraged = flipsAveraged;
    }

    /**
     * The same predictor averaging over the image's mirror images that {@code unet}'s training showed
     * ({@link #testTimeMirrors}; up to four predictions per image).
     *
     * @throws IllegalStateException when the model's training showed none (its record says so)
     */
    public ImagePredictor withFlipsAveraged() {
        if (mirrors.isEmpty()) {
            throw new IllegalStateException(NO_MIRRORS);
        }
        return new ImagePredictor(channels, outputChannels, significantBits, inputHeight, inputWidth, normalizer,
                predictor, framing, scale, mirrors, true);
    }

    /**
     * The mirror images test-time augmentation averages over for {@code unet}: those its training showed, as its
     * record says; all three for a model that records none (one built, or saved before the record had them).
     */
    public static Set<Mirror> testTimeMirrors(UNet unet) {
        return unet.trainingRecord().mirrors().orElse(EnumSet.allOf(Mirror.class));
    }

    /** The bits of a 16-bit image's samples that {@code unet} reads as its value: its record, else all 16. */
    public static int significantBits(UNet unet) {
        return unet.trainedSignificantBits().orElse(SampleDepth.SIXTEEN_BIT.bits());
    }

    /** One model on this thread; tiles overlap by {@code overlap} pixels (at most half the input's smaller side). */
    public static ImagePredictor of(UNet unet, int overlap, ImageFraming framing) {
        return new ImagePredictor(unet, unet.tiledPredictor(tileOverlap(unet, overlap)), framing);
    }

    /** {@code overlap}, at most half the model input's smaller side. */
    public static int tileOverlap(UNet unet, int overlap) {
        return Math.min(overlap, maxTileOverlap(unet));
    }

    /** The most the tiles of {@code unet} may overlap: half the input's smaller side, or they would not advance. */
    public static int maxTileOverlap(UNet unet) {
        return Math.min(unet.config().input().height(), unet.config().input().width()) / 2;
    }

    public Prediction predict(Path file) {
        DecodedImage image = ImageFiles.readImage(file, channels, significantBits);
        int height = image.height();
        int width = image.width();
        if (framing == ImageFraming.RESIZE && (height != inputHeight || width != inputWidth)) {
            // Stretched back to the image's size, the probabilities are one Java array.
            ImageFiles.requireArrayFits(file, outputChannels + " class probabilities", outputChannels, height, width,
                    "predict it in tiles (--tiles) or a smaller copy of it");
        }
        float[] normalized = new float[channels * height * width];
        normalizer.normalize(image.pixels(), channels, height * width, normalized, 0);
        INDArray probabilities = flipsAveraged ? flipsAveraged(normalized, height, width)
                : framed(normalized, height, width);
        DecodedImage picture = channels == 3 ? image : ImageFiles.readImage(file, 3, significantBits);
        return new Prediction(picture.toPicture(), probabilities);
    }

    /** The probabilities of a normalised {@code [C, H, W]} image, framed. */
    private INDArray framed(float[] normalized, int height, int width) {
        if (height == inputHeight && width == inputWidth) {
            return predictor.predict(Nd4j.create(normalized, channels, height, width));
        }
        return framing == ImageFraming.RESIZE ? stretched(normalized, height, width)
                : tiled(normalized, height, width);
    }

    /**
     * In tiles at the training crops' scale, resampled by it, as the cropping augmentations scale an image before
     * they crop: relative to the image, or, for an image smaller than the input on a side, to the scale that just
     * covers the input (keeping its aspect); the probabilities are resampled back.
     */
    private INDArray tiled(float[] normalized, int height, int width) {
        double cover = Math.max((double) inputHeight / height, (double) inputWidth / width);
        double factor = scale * Math.max(1, cover);
        if (factor == 1) {
            return predictor.predict(Nd4j.create(normalized, channels, height, width));
        }
        // The input covered exactly when the factor covers it: no pixel more from rounding (1e-6, as the crops).
        int scaledHeight = Math.max(factor >= cover ? inputHeight : 1, (int) Math.ceil(height * factor - 1e-6));
        int scaledWidth = Math.max(factor >= cover ? inputWidth : 1, (int) Math.ceil(width * factor - 1e-6));
        float[] input = JointAugmenter.resampleImage(normalized, channels, height, width,
                stretch(height, width, scaledHeight, scaledWidth), scaledHeight, scaledWidth, Interpolation.BILINEAR);
        INDArray output = predictor.predict(Nd4j.create(input, channels, scaledHeight, scaledWidth));
        return resampled(output, stretch(scaledHeight, scaledWidth, height, width), height, width,
                Interpolation.BILINEAR);
    }

    /**
     * A mirror image for test-time flips: how the image is mirrored ({@code image}, nearest-neighbour, which maps
     * pixel to pixel) and the axes of its {@code [K, H, W]} probabilities reversed to mirror them back.
     */
    private record MirrorView(Geometry image, int... probabilityAxes) {

        static MirrorView of(Mirror mirror, int height, int width) {
            return switch (mirror) {
                case LEFT_RIGHT -> new MirrorView(Geometry.flipLeftRight(width), 2);
                case TOP_BOTTOM -> new MirrorView(Geometry.flipTopBottom(height), 1);
                case BOTH -> new MirrorView(Geometry.flipLeftRight(width).then(Geometry.flipTopBottom(height)), 1, 2);
            };
        }
    }

    /** The mean of the probabilities of the image and its {@link #mirrors}, each mirrored back. */
    private INDArray flipsAveraged(float[] normalized, int height, int width) {
        INDArray sum = framed(normalized, height, width).castTo(DataType.FLOAT);
        for (Mirror mirror : mirrors) {
            MirrorView view = MirrorView.of(mirror, height, width);
            float[] input = JointAugmenter.resampleImage(normalized, channels, height, width, view.image(), height,
                    width, Interpolation.NEAREST);
            INDArray probabilities = framed(input, height, width).castTo(DataType.FLOAT);
            // Mirrored back in place: no copy of the probabilities (the framed prediction is this method's own).
            Nd4j.exec(new Reverse(probabilities, probabilities, view.probabilityAxes()));
            sum.addi(probabilities);
        }
        return sum.divi(mirrors.size() + 1);
    }

    /** The image stretched to the model's input as validation after a stretching augmentation does, and back. */
    private INDArray stretched(float[] normalized, int height, int width) {
        float[] input = JointAugmenter.resampleImage(normalized, channels, height, width,
                stretch(height, width, inputHeight, inputWidth), inputHeight, inputWidth, Interpolation.BILINEAR);
        INDArray output = predictor.predict(Nd4j.create(input, channels, inputHeight, inputWidth));
        return resampled(output, stretch(inputHeight, inputWidth, height, width), height, width,
                Interpolation.BILINEAR);
    }

    /** Probabilities {@code [K, h, w]} resampled through {@code geometry} to {@code [K, height, width]}, FLOAT. */
    private static INDArray resampled(INDArray probabilities, Geometry geometry, int height, int width,
                                      Interpolation interpolation) {
        int classes = (int) probabilities.size(0);
        float[] values = JointAugmenter.resampleImage(probabilities.castTo(DataType.FLOAT).dup('c').data().asFloat(),
                classes, (int) probabilities.size(1), (int) probabilities.size(2), geometry, height, width,
                interpolation);
        return Nd4j.create(values, classes, height, width);
    }

    /**
     * The map from a {@code toHeight x toWidth} output to a {@code fromHeight x fromWidth} source that stretches, as
     * {@link io.github.mdunet.data.augment.Framing#RESIZE} frames validation batches.
     */
    private static Geometry stretch(int fromHeight, int fromWidth, int toHeight, int toWidth) {
        return Geometry.scale((double) fromWidth / toWidth, (double) fromHeight / toHeight);
    }
}
