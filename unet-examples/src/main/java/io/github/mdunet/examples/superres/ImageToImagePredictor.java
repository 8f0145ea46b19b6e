package io.github.mdunet.examples.superres;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.predict.TiledPredictor;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.PixelNormalizer;
import io.github.mdunet.examples.evaluate.ImagePredictor;
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
        this.tiles = unet.tiledPredictor(ImagePredictor.tileOverlap(unet, Math.max(0, overlap)));
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
        return image.derived(outChannels, image.height(), image.width(), pixels);
    }
}
