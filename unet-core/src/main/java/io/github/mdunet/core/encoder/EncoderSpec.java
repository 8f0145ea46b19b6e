package io.github.mdunet.core.encoder;

import java.util.List;

/**
 * What an encoder declares to the decoder: its skip feature maps from the highest resolution to the lowest,
 * and its bottleneck (the deepest feature map, input of the mid block).
 *
 * <p>Strides must strictly increase from the first skip to the bottleneck; the U-Net builder checks every tap
 * against the graph's real activation types before it builds anything.
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
        int previousStride = 0;
        String previousName = "the input";
        for (SkipTap tap : skips) {
            requireIncreasing(previousStride, previousName, tap);
            previousStride = tap.stride();
            previousName = "'" + tap.vertexName() + "'";
        }
        requireIncreasing(previousStride, previousName, bottleneck);
    }

    /** The bottleneck's stride against the input: the encoder's total reduction. */
    public int totalStride() {
        return bottleneck.stride();
    }

    private static void requireIncreasing(int previousStride, String previousName, SkipTap tap) {
        if (tap.stride() <= previousStride) {
            throw new IllegalArgumentException("EncoderSpec strides must strictly increase, but '" + tap.vertexName()
                    + "' has stride " + tap.stride() + " after " + previousName + " with stride " + previousStride
                    + ": list the skips from the highest resolution to the lowest");
        }
    }
}
