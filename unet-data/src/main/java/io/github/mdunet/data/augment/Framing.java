package io.github.mdunet.data.augment;

/** How a source image of any size becomes the output size. */
public enum Framing {
    /** Stretch to the output size (the identity when the sizes already match); no randomness. */
    RESIZE,
    /** Scale uniformly so the output is covered, then take the centre; no randomness. */
    CENTER_CROP,
    /**
     * Scale uniformly by a random factor from {@link AugmentConfig#minScale()} to {@link AugmentConfig#maxScale()}
     * (at least enough to cover the output), then crop at a random position (whole pixels of the scaled image).
     */
    RANDOM_CROP
}
