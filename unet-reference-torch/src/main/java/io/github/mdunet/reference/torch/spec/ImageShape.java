package io.github.mdunet.reference.torch.spec;

/** The shape of one image or feature map, without the batch: (channels, height, width). */
public record ImageShape(int channels, int height, int width) {

    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("channels, height and width must be >= 1 but were ("
                    + channels + ", " + height + ", " + width + ")");
        }
    }

    /** NCHW shape for a batch of this many. */
    public long[] withBatch(long batch) {
        return new long[] {batch, channels, height, width};
    }

    @Override
    public String toString() {
        return "[" + channels + ", " + height + ", " + width + "]";
    }
}
