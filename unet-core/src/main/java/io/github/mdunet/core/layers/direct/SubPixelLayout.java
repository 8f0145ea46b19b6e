package io.github.mdunet.core.layers.direct;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PyTorch's pixel-shuffle index map as two views, so one strided copy moves an array either way: channel
 * {@code c*r*r + i*r + j} at {@code (h, w)} of {@code [N, C*r*r, H, W]} is {@code (c, h*r + i, w*r + j)} of
 * {@code [N, C, H*r, W*r]}. Both views index {@code [N, C, H, r, W, r]}; a view written to must be of a c-order array.
 */
final class SubPixelLayout {

    private SubPixelLayout() {
    }

    /** {@code [N, C*r*r, H, W]} as {@code [N, C, H, r, W, r]} (in the shuffled array's element order). */
    static INDArray subPixels(INDArray packed, long r) {
        long channels = packed.size(1) / (r * r);
        return packed.reshape('c', packed.size(0), channels, r, r, packed.size(2), packed.size(3))
                .permute(0, 1, 4, 2, 5, 3);
    }

    /** {@code [N, C, H*r, W*r]} as {@code [N, C, H, r, W, r]}. */
    static INDArray pixels(INDArray shuffled, long r) {
        return shuffled.reshape('c', shuffled.size(0), shuffled.size(1), shuffled.size(2) / r, r,
                shuffled.size(3) / r, r);
    }
}
