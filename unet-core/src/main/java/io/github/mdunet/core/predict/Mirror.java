package io.github.mdunet.core.predict;

/**
 * A mirror image of an image: flipped left-right, top-bottom, or both (a half turn). A trained U-Net can record the
 * ones its training augmentation showed it ({@code TrainingRecord.mirrors}), so that test-time augmentation averages
 * over those only.
 */
public enum Mirror {
    /** Flipped about the vertical axis: the width reversed. */
    LEFT_RIGHT,
    /** Flipped about the horizontal axis: the height reversed. */
    TOP_BOTTOM,
    /** Both: a half turn. */
    BOTH
}
