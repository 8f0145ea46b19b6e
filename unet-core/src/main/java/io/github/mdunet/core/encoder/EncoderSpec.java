package io.github.mdunet.core.encoder;

import java.util.List;

/**
 * What an encoder declares to the decoder: its skip feature maps from the highest resolution to the lowest,
 * and its bottleneck (the deepest feature map, input of the mid block).
 *
 * <p>Strides must strictly increase from the first skip to the bottleneck, and each tap's stride must divide the
 * next deeper one's: the decoder upsamples from one tap to the one above it by the whole factor
 * {@code deeperStride / stride} (2 for the usual halving), which a stride of 4 under one of 6 does not have. The
 * U-Net builder checks every tap against the graph's real activation types before it builds anything.
 *
 * @param skips      the skip taps, highest resolution (smallest stride) first; may be empty
 * @param bottleneck the deepest feature map
 */
public record EncoderSpec(List<SkipTap> skips, SkipTap bottleneck) {

    public EncoderSpec {
        skips = List.copyOf(skips);
        if (bottleneck == null) {
            throw new IllegalArgumentException("EncoderSpec.bottleneck must be set");
        }
        SkipTap previous = null;
        for (SkipTap tap : skips) {
            requireDeeper(previous, tap);
            previous = tap;
        }
        requireDeeper(previous, bottleneck);
    }

    /** The bottleneck's stride against the input: the encoder's total reduction. */
    public int totalStride() {
        return bottleneck.stride();
    }

    /** {@code tap} must be deeper than {@code previous} (null: the input) by a whole factor. */
    private static void requireDeeper(SkipTap previous, SkipTap tap) {
        int previousStride = previous == null ? 0 : previous.stride();
        String previousName = previous == null ? "the input" : "'" + previous.vertexName() + "'";
        if (tap.stride() <= previousStride) {
            throw new IllegalArgumentException("EncoderSpec strides must strictly increase, but '" + tap.vertexName()
                    + "' has stride " + tap.stride() + " after " + previousName + " with stride " + previousStride
                    + ": list the skips from the highest resolution to the lowest");
        }
        if (previous != null && tap.stride() % previousStride != 0) {
            throw new IllegalArgumentException("EncoderSpec strides must each divide the next deeper one, but '"
                    + tap.vertexName() + "' has stride " + tap.stride() + " after " + previousName + " with stride "
                    + previousStride + ": " + tap.stride() + " is not a multiple of " + previousStride
                    + ", so the decoder cannot upsample from '" + tap.vertexName() + "' to " + previousName
                    + " by a whole factor; tap vertices whose strides divide each other (e.g. 2, 4, 8), or leave "
                    + previousName + " out of the skips");
        }
    }
}
