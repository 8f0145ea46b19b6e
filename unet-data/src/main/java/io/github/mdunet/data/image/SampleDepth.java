package io.github.mdunet.data.image;

import io.github.mdunet.core.checks.Checks;

/**
 * How finely a file stored an image's values: 8-bit samples, or 16-bit samples whose low {@code bits} hold the
 * value (all 16, or fewer: the 0-4095 of a 12-bit microscope camera written into 16-bit TIFFs or PNGs). Every
 * {@link DecodedImage} holds values on the 8-bit scale (0-255), a level {@code level * 255 / maxLevel} there: 65535 of
 * a 16-bit file and 4095 of a 12-bit one are both 255, a 16-bit file's levels {@code 1/257} apart. Whatever rounds a
 * made image "as a file would hold it" (the low-resolution input of super-resolution) rounds to its source's own
 * levels, and an output is written at its input's depth.
 *
 * @param container the size of the file's samples
 * @param bits      the bits that hold the value: 8 in 8-bit samples, 1 to 16 in 16-bit samples
 */
public record SampleDepth(Container container, int bits) {

    /** 8-bit samples, whole values 0-255. */
    public static final SampleDepth EIGHT_BIT = new SampleDepth(Container.EIGHT_BIT, 8);
    /** 16-bit samples using all their bits, 0-65535: {@code level / 257} on the 8-bit scale. */
    public static final SampleDepth SIXTEEN_BIT = new SampleDepth(Container.SIXTEEN_BIT, 16);

    /** The size of a file's samples. */
    public enum Container {
        EIGHT_BIT,
        SIXTEEN_BIT
    }

    public SampleDepth {
        if (container == null) {
            throw new IllegalArgumentException("SampleDepth.container must be EIGHT_BIT or SIXTEEN_BIT but was null");
        }
        switch (container) {
            case EIGHT_BIT -> {
                if (bits != 8) {
                    throw new IllegalArgumentException("SampleDepth.bits of 8-bit samples must be 8 but was " + bits);
                }
            }
            case SIXTEEN_BIT -> Checks.significantBits("SampleDepth.bits", bits);
        }
    }

    /**
     * 16-bit samples whose low {@code significantBits} hold the value: 12 reads 0-4095 as 0-255 on the 8-bit scale.
     *
     * @throws IllegalArgumentException unless {@code significantBits} is 1 to 16
     */
    public static SampleDepth sixteenBitFile(int significantBits) {
        return new SampleDepth(Container.SIXTEEN_BIT, significantBits);
    }

    /** The file's largest value: 255, 65535, or {@code 2^bits - 1} (4095 for 12 bits). */
    public int maxLevel() {
        return (1 << bits) - 1;
    }

    /** Levels per unit of the 8-bit scale, {@code maxLevel / 255}: 1, 257, or 4095 / 255 for 12 bits. */
    public double levelsPerUnit() {
        return maxLevel() / 255.0;
    }

    /**
     * A stored level as a value on the 8-bit scale: the level for 8 bits, {@code level / 257} for 16 (the float
     * nearest to it, which turns back into the same level).
     */
    public float value(int level) {
        return (float) (level / levelsPerUnit());
    }

    /** The nearest level a file of this depth holds to {@code value} (on the 8-bit scale), clamped to the range. */
    public int level(double value) {
        return (int) Math.max(0, Math.min(maxLevel(), Math.rint(value * levelsPerUnit())));
    }

    /** {@code value} rounded to the nearest level this depth holds, kept on the 8-bit scale. */
    public float quantized(double value) {
        return value(level(value));
    }

    /** {@code "8-bit"}, {@code "16-bit"}, or {@code "12 bits in 16-bit samples"}. */
    @Override
    public String toString() {
        return switch (container) {
            case EIGHT_BIT -> "8-bit";
            case SIXTEEN_BIT -> bits == 16 ? "16-bit" : bits + " bits in 16-bit samples";
        };
    }
}
