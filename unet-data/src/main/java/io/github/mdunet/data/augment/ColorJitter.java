package io.github.mdunet.data.augment;

import java.io.Serializable;

/**
 * Random colour changes on 0-255 values before normalisation, clamped to 0-255; each factor is drawn uniformly from
 * {@code [1 - x, 1 + x]} once per sample. Segmentation: applied to the image, never to the mask. Image-to-image:
 * applied to the input and the target with the same factors and the same contrast pivot (the input's mean grey),
 * so both go through one brightness and contrast map; saturation only when input and target have the same channel
 * count (colourisation, 1 channel in and 3 out, gets none: the grey input could not show it).
 *
 * @param brightness multiplies every channel; 0 for none
 * @param contrast   scales around the mean grey (the mean ITU-R 601 luma of an RGB image); 0 for none
 * @param saturation blends with each pixel's grey (0 gives grey, above 1 more colourful; RGB only); 0 for none
 */
public record ColorJitter(double brightness, double contrast, double saturation) implements Serializable {

    /** No colour change. */
    public static final ColorJitter NONE = new ColorJitter(0, 0, 0);

    public ColorJitter {
        check("brightness", brightness);
        check("contrast", contrast);
        check("saturation", saturation);
    }

    /** Whether this changes anything. */
    public boolean isNone() {
        return brightness == 0 && contrast == 0 && saturation == 0;
    }

    private static void check(String field, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException("ColorJitter." + field + " must be in [0, 1) but was " + value);
        }
    }
}
