package io.github.mdunet.examples.superres;

import io.github.mdunet.core.config.UpsampleMode;

/** The decoder's upsampling on the command line, one constant per {@link UpsampleMode} variant. */
enum UpsamplerChoice {
    PIXEL_SHUFFLE, PIXEL_SHUFFLE_BLUR, TRANSPOSED, BILINEAR_CONV, BILINEAR;

    UpsampleMode mode() {
        return switch (this) {
            case PIXEL_SHUFFLE -> new UpsampleMode.PixelShuffle(false);
            case PIXEL_SHUFFLE_BLUR -> new UpsampleMode.PixelShuffle(true);
            case TRANSPOSED -> new UpsampleMode.Transposed();
            case BILINEAR_CONV -> new UpsampleMode.BilinearConv();
            case BILINEAR -> new UpsampleMode.Bilinear();
        };
    }
}
