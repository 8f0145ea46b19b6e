package io.github.mdunet.core.predict;

/**
 * How a U-Net sees an image of another size than its input, which should be how it saw its training images. A
 * trained {@code UNet} can record it ({@code UNet.withTrainedFraming}), and its file keeps it.
 */
public enum ImageFraming {
    /**
     * Tiles of the model's input, blended where they overlap ({@link TiledPredictor}): after training on crops, at
     * the scale they showed images at ({@code TrainingRecord.scale}, recorded with the framing; the image's own scale
     * when none is recorded).
     */
    TILES,
    /**
     * The whole image stretched to the model's input and the prediction stretched back (bilinear) to the image's
     * size: after training on whole images stretched to the input.
     */
    RESIZE
}
