package io.github.mdunet.data.augment;

/** How a source image of any size becomes the output size. */
public enum Framing {
    /** Stretch to the output size (the identity when the sizes already match); no randomness. */
    RESIZE,
    /**
     * Scale uniformly by {@link AugmentConfig#minScale()}, then take the centre; no randomness. At scale 1 the output
     * is a window of the source's own pixels (fastai's {@code RandomCrop} on a validation set). The scale is relative
     * to the source, or, for a source smaller than the output on a side, to the scale that just covers the output;
     * where the window is larger than the scaled source, its rest shows the source mirrored at its edges (reflection
     * padding, as fastai's and albumentations' zooms out), in the image and the mask alike.
     */
    CENTER_CROP,
    /**
     * Scale uniformly by a random factor from {@link AugmentConfig#minScale()} to {@link AugmentConfig#maxScale()},
     * relative as for {@link #CENTER_CROP}, then take the window at a random position (whole pixels of the scaled
     * image): inside the scaled source when it is larger than the output, around it, reflected, when it is smaller.
     */
    RANDOM_CROP
}
