package io.github.mdunet.examples.superres;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.predict.TiledPredictor;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.PixelNormalizer;
import java.awt.image.BufferedImage;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Whole images through an image-to-image U-Net of any input size: the image is normalised as the model's inputs
 * were (its encoder's input normalisation), predicted in overlapping tiles of the model's input size
 * ({@link TiledPredictor}), and the normalisation is undone, so the result is 0-255 pixels again (clamped).
 *
 * <p>Contract: {@link #predict} maps a {@link DecodedImage} {@code [C, H, W]} (C = the model's input channels) to
 * one of {@code [numClasses, H, W]}, any H and W.
 */
public final class ImageToImagePredictor {

    private final UNet unet;
    private final TiledPredictor tiles;
    private final PixelNormalizer normalizer;

    /** @param overlap pixels shared by neighbouring tiles; capped at half the model's shorter input side */
    public ImageToImagePredictor(UNet unet, int overlap) {
        this.unet = unet;
        int tile = Math.min(unet.config().input().height(), unet.config().input().width());
        this.tiles = TiledPredictor.of(unet, Math.max(0, Math.min(overlap, tile / 2)));
        this.normalizer = new PixelNormalizer(unet.config().encoder().inputNormalization());
    }

    public DecodedImage predict(DecodedImage image) {
        int channels = unet.config().input().channels();
        if (image.channels() != channels) {
            throw new IllegalArgumentException("the model reads " + channels + "-channel images but the image has "
                    + image.channels());
        }
        int plane = image.height() * image.width();
        float[] normalized = new float[channels * plane];
        normalizer.normalize(image.pixels(), channels, plane, normalized, 0);
        INDArray output = tiles.predict(Nd4j.create(normalized, new long[] {channels, image.height(),
                image.width()}, 'c').castTo(unet.config().dataType()));
        int outChannels = (int) output.size(0);
        float[] values = output.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] pixels = normalizer.denormalize(values, outChannels, plane, 0);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = Math.max(0, Math.min(255, pixels[i]));
        }
        return new DecodedImage(outChannels, image.height(), image.width(), pixels);
    }

    /** An 8-bit RGB picture of 0-255 planes (grey replicated), values rounded. */
    public static BufferedImage toPicture(DecodedImage image) {
        BufferedImage picture = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                int r = channel(image, 0, y, x);
                int g = image.channels() == 3 ? channel(image, 1, y, x) : r;
                int b = image.channels() == 3 ? channel(image, 2, y, x) : r;
                picture.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return picture;
    }

    private static int channel(DecodedImage image, int c, int y, int x) {
        return (int) Math.max(0, Math.min(255, Math.round(image.at(c, y, x))));
    }
}
