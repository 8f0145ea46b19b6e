package io.github.mdunet.data.augment;

/** How a source image of any size becomes the output size. */
public enum Framing {
    /** Stretch to the output size (the identity when the sizes already match); no randomness. */
    RESIZE,
    /**
     * Scale uniformly by {@link AugmentConfig#minScale()} (raised to cover the output when that is too small), then
     * take the centre; no randomness. At scale 1 the output is a window of the source's own pixels (fastai's
     * {@code RandomCrop} on a validation set); a scale near 0 shrinks the source until it just covers the output.
     */
    CENTER_CROP,
    /**
     * Scale uniformly by a random factor from {@link AugmentConfig#minScale()} to {@link AugmentConfig#maxScale()}
     * (at least enough to cover the output), then crop at a random position (whole pixels of the scaled image).
     */
    RANDOM_CROP
}
