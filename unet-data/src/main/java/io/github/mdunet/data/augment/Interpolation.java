package io.github.mdunet.data.augment;

/**
 * How image pixels are sampled under a geometric transform. Masks always use {@link #NEAREST}. Either way, points
 * past the source's edges take it mirrored there ({@link JointAugmenter#resampleImage}).
 */
public enum Interpolation {
    /** The source pixel whose area contains the sample point: exact for flips, 90-degree turns and crops. */
    NEAREST,
    /**
     * Bilinear between the four nearest source pixel centres when enlarging; when shrinking, the average of the source
     * pixels each output pixel covers (an area average, antialiased as Pillow's resize is), so fine detail averages
     * instead of aliasing.
     */
    BILINEAR
}
