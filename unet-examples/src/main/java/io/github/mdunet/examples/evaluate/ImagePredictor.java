package io.github.mdunet.examples.evaluate;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.predict.TiledPredictor;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.image.PixelNormalizer;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A U-Net's class probabilities for an image file of any size: read as the model reads its inputs (channels,
 * normalisation, EXIF orientation), predicted in tiles of the model's input size.
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
    private final PixelNormalizer normalizer;
    private final TiledPredictor predictor;

    /** @param overlap tile overlap in pixels, at most half the model's smaller side */
    public ImagePredictor(UNet unet, int overlap) {
        this.channels = unet.config().input().channels();
        this.normalizer = new PixelNormalizer(unet.config().encoder().inputNormalization());
        this.predictor = TiledPredictor.of(unet, Math.min(overlap,
                Math.min(unet.config().input().height(), unet.config().input().width()) / 2));
    }

    public Prediction predict(Path file) {
        DecodedImage image = ImageFiles.readImage(file, channels);
        int plane = image.height() * image.width();
        float[] normalized = new float[channels * plane];
        normalizer.normalize(image.pixels(), channels, plane, normalized, 0);
        INDArray probabilities = predictor.predict(Nd4j.create(normalized, channels, image.height(), image.width()));
        DecodedImage picture = channels == 3 ? image : ImageFiles.readImage(file, 3);
        return new Prediction(picture.toPicture(), probabilities);
    }
}
