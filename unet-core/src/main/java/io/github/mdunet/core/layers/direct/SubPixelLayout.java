package io.github.mdunet.core.layers.direct;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * PyTorch's pixel-shuffle index map: channel {@code c*r*r + i*r + j} at {@code (h, w)} of {@code [N, C*r*r, H, W]}
 * is {@code (c, h*r + i, w*r + j)} of {@code [N, C, H*r, W*r]}. Arrays move between the two layouts in r*r copies of
 * rank-4 views, one per sub-pixel {@code (i, j)}, each with a contiguous or stride-r innermost axis: libnd4j copies
 * those in its rank-specialised loops (a single copy through a rank-6 permuted view took 11x as long, measured on a
 * {@code [4, 256, 128, 128]} array). A view written to must be of a c-order array.
 */
final class SubPixelLayout {

    private SubPixelLayout() {
    }

    /** Channels {@code c*r*r + i*r + j} of {@code packed [N, C*r*r, H, W]}: a view {@code [N, C, H, W]}. */
    static INDArray subPixel(INDArray packed, int r, int i, int j) {
        long rr = (long) r * r;
        return packed.reshape('c', packed.size(0), packed.size(1) / rr, rr, packed.size(2), packed.size(3))
                .get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point((long) i * r + j), NDArrayIndex.all(),
                        NDArrayIndex.all());
    }

    /** Pixels {@code (h*r + i, w*r + j)} of {@code shuffled [N, C, H*r, W*r]}: a view {@code [N, C, H, W]}. */
    static INDArray pixels(INDArray shuffled, int r, int i, int j) {
        return shuffled.reshape('c', shuffled.size(0), shuffled.size(1), shuffled.size(2) / r, r,
                        shuffled.size(3) / r, r)
                .get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(i),
                        NDArrayIndex.all(), NDArrayIndex.point(j));
    }

    /** {@code shuffled = pixelShuffle(packed)}. */
    static void shuffle(INDArray packed, INDArray shuffled, int r) {
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < r; j++) {
                pixels(shuffled, r, i, j).assign(subPixel(packed, r, i, j));
            }
        }
    }

    /** {@code packed = pixelUnshuffle(shuffled)}, the inverse of {@link #shuffle}. */
    static void unshuffle(INDArray shuffled, INDArray packed, int r) {
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < r; j++) {
                subPixel(packed, r, i, j).assign(pixels(shuffled, r, i, j));
            }
        }
    }
}
