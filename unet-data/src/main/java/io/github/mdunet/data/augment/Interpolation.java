package io.github.mdunet.data.augment;

/** How image pixels are sampled under a geometric transform. Masks always use {@link #NEAREST}. */
public enum Interpolation {
    /** The source pixel whose area contains the sample point: exact for flips, 90-degree turns and crops. */
    NEAREST,
    /** Bilinear between the four nearest source pixel centres (edges clamped). */
    BILINEAR
}
