package io.github.mdunet.data.augment;

/**
 * Random colour changes applied to the image only (never to a mask or an image-to-image target), on 0-255 RGB
 * before normalisation, clamped to 0-255. Each factor is drawn uniformly from {@code [1 - x, 1 + x]}.
 *
 * @param brightness multiplies every channel; 0 for none
 * @param contrast   scales around the image's mean grey; 0 for none
 * @param saturation blends with each pixel's grey (0 gives grey, above 1 more colourful); 0 for none
 */
public record ColorJitter(double brightness, double contrast, double saturation) {

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
