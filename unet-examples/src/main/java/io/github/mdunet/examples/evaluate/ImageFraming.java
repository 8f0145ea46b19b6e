package io.github.mdunet.examples.evaluate;

import io.github.mdunet.data.augment.AugmentConfig;
import io.github.mdunet.data.augment.Framing;

/**
 * How a saved U-Net sees an image of another size than its input, which should be how it saw its training images.
 */
public enum ImageFraming {
    /**
     * Tiles of the model's input at the image's own scale, blended where they overlap: after crops around scale 1
     * (every cropping preset); a model trained on crops at another scale sees the image at a scale it did not learn.
     */
    TILES,
    /**
     * The whole image stretched to the model's input and the prediction stretched back (bilinear) to the image's
     * size: after an augmentation that stretched whole images ({@link Framing#RESIZE}: presets none and flips).
     */
    RESIZE;

    /** The framing that matches {@code training}: {@link #RESIZE} after a stretch, {@link #TILES} after crops. */
    public static ImageFraming after(AugmentConfig training) {
        return switch (training.framing()) {
            case RESIZE -> RESIZE;
            case CENTER_CROP, RANDOM_CROP -> TILES;
        };
    }
}
