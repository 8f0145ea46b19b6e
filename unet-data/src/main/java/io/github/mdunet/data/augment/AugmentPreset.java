package io.github.mdunet.data.augment;

/**
 * Named augmentations for the command line, from none to {@link AugmentConfig#standard()}; each is an
 * {@link AugmentConfig} whose parameters can still be changed with its {@code with...} methods.
 */
public enum AugmentPreset {
    /** Nothing random: the image is only resized to the output size. */
    NONE,
    /** Left-right and top-bottom flips, each with probability 1/2; the image resized to the output size. */
    FLIPS,
    /**
     * Flips and turns by a random multiple of 90 degrees, then a random crop at scale 1 (a source smaller than the
     * output is scaled up just enough to cover it).
     */
    FLIPS_TURNS,
    /**
     * Flips and a random zoom of 0.75 to 1.25 (below 1 zooms out) with a random crop; a zoom too small to cover the
     * output is raised to the smallest that does.
     */
    FLIPS_ZOOM,
    /** {@link AugmentConfig#standard()}: flips, turns, zoom and crop, colour jitter. */
    STANDARD;

    /** The augmentation this preset names. */
    public AugmentConfig config() {
        return switch (this) {
            case NONE -> AugmentConfig.NONE;
            case FLIPS -> new AugmentConfig(true, true, false, Framing.RESIZE, 1, 1, ColorJitter.NONE,
                    Interpolation.BILINEAR);
            case FLIPS_TURNS -> new AugmentConfig(true, true, true, Framing.RANDOM_CROP, 1, 1, ColorJitter.NONE,
                    Interpolation.BILINEAR);
            case FLIPS_ZOOM -> new AugmentConfig(true, true, false, Framing.RANDOM_CROP, 0.75, 1.25,
                    ColorJitter.NONE, Interpolation.BILINEAR);
            case STANDARD -> AugmentConfig.standard();
        };
    }
}
