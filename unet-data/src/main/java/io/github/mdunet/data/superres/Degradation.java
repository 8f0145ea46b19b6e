package io.github.mdunet.data.superres;

import io.github.mdunet.data.image.DecodedImage;

/**
 * How a super-resolution input is made from a high-resolution image: area-averaged downscaling by {@code scale}
 * (rounded to the source's own levels, as a low-resolution file of its depth would hold them: whole values for an
 * 8-bit source, steps of 1/257 for a 16-bit one), then bicubic upscaling back to the original size. The model sees
 * the upscaled image and predicts the original; the upscaled image itself is the bicubic baseline it has to beat.
 *
 * @param scale the super-resolution factor, 2 to 8
 */
public record Degradation(int scale) {

    public Degradation {
        if (scale < 2 || scale > 8) {
            throw new IllegalArgumentException("Degradation.scale must be in [2, 8] but was " + scale);
        }
    }

    /** The largest top-left part of {@code image} whose sides are multiples of {@link #scale}. */
    public DecodedImage cropToMultiple(DecodedImage image) {
        int height = image.height() / scale * scale;
        int width = image.width() / scale * scale;
        if (height == 0 || width == 0) {
            throw new IllegalArgumentException("an image of " + image.width() + "x" + image.height() + " is smaller"
                    + " than the scale factor " + scale);
        }
        return height == image.height() && width == image.width() ? image
                : Resampling.crop(image, 0, 0, height, width);
    }

    /** The low-resolution image: {@code [c, h, w] -> [c, h/scale, w/scale]}; sides must be multiples of scale. */
    public DecodedImage lowResolution(DecodedImage image) {
        return Resampling.areaDownscale(image, scale, true);
    }

    /** The bicubic upscaling of a low-resolution image by {@link #scale}. */
    public DecodedImage upscale(DecodedImage lowResolution) {
        return Resampling.bicubic(lowResolution, lowResolution.height() * scale, lowResolution.width() * scale);
    }

    /** The model's input for {@code image} (sides multiples of scale): downscaled, then upscaled to its size. */
    public DecodedImage input(DecodedImage image) {
        return upscale(lowResolution(image));
    }

    /** How inputs are made, for messages and a dataset's identity: {@code "area-down x4, bicubic up"}. */
    @Override
    public String toString() {
        return "area-down x" + scale + ", bicubic up";
    }
}
