package io.github.mdunet.data.image;

/**
 * How finely a file stored an image's values. Every {@link DecodedImage} holds values on the 8-bit scale (0-255); a
 * 16-bit file's levels are {@code 1/257} apart on it. Whatever rounds a made image "as a file would hold it" (the
 * low-resolution input of super-resolution) rounds to its source's own levels, and an output is written at its
 * input's depth.
 */
public enum SampleDepth {
    /** 256 levels, whole values 0-255. */
    EIGHT_BIT(255),
    /** 65536 levels, {@code value / 257} on the 8-bit scale. */
    SIXTEEN_BIT(65535);

    private final int maxLevel;
    /**
     * Levels per unit of the 8-bit scale: 1 or 257 (65535 / 255), a whole number, so a level's value is its nearest
     * float to {@code level / 257} and turns back into the same level.
     */
    private final int levelsPerUnit;

    SampleDepth(int maxLevel) {
        this.maxLevel = maxLevel;
        this.levelsPerUnit = maxLevel / 255;
    }

    /** The file's largest value: 255 or 65535. */
    public int maxLevel() {
        return maxLevel;
    }

    /** Levels per unit of the 8-bit scale: 1, or 257 for 16 bits. */
    public int levelsPerUnit() {
        return levelsPerUnit;
    }

    /** A stored level as a value on the 8-bit scale: {@code level / 257} for 16 bits, the level for 8. */
    public float value(int level) {
        return level / (float) levelsPerUnit;
    }

    /** The nearest level a file of this depth holds to {@code value} (on the 8-bit scale), clamped to the range. */
    public int level(double value) {
        return (int) Math.max(0, Math.min(maxLevel, Math.rint(value * levelsPerUnit)));
    }

    /** {@code value} rounded to the nearest level this depth holds, kept on the 8-bit scale. */
    public float quantized(double value) {
        return value(level(value));
    }
}
