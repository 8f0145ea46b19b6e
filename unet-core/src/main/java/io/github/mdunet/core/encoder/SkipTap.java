package io.github.mdunet.core.encoder;

/**
 * One feature map that an encoder offers to the decoder, like timm's FeatureInfo entry.
 *
 * @param vertexName the graph vertex whose activations are the feature map
 * @param channels   its channel count
 * @param stride     its reduction against the input (1, 2, 4, ...): its size is about input size / stride
 */
public record SkipTap(String vertexName, int channels, int stride) {

    public SkipTap {
        if (vertexName == null || vertexName.isBlank()) {
            throw new IllegalArgumentException("SkipTap.vertexName must be a vertex name but was '" + vertexName + "'");
        }
        if (channels < 1) {
            throw new IllegalArgumentException("SkipTap.channels of '" + vertexName + "' must be >= 1 but was "
                    + channels);
        }
        if (stride < 1) {
            throw new IllegalArgumentException("SkipTap.stride of '" + vertexName + "' must be >= 1 but was " + stride);
        }
    }
}
