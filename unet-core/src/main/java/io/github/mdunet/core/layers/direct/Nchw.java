package io.github.mdunet.core.layers.direct;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Views of NCHW arrays. */
final class Nchw {

    private Nchw() {
    }

    /**
     * Image {@code index} of an NCHW array, as a rank-4 view {@code [1, C, H, W]} (take it of a C-order array: ND4J
     * M2.1 can get the last image's view of a strided view wrong, with no data).
     */
    static INDArray image(INDArray array, long index) {
        return array.get(NDArrayIndex.interval(index, index + 1), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all());
    }

    /** Image {@code index} of a {@code [N, rows, columns]} array, as a {@code [rows, columns]} matrix view. */
    static INDArray matrix(INDArray perImage, long index) {
        return perImage.get(NDArrayIndex.point(index), NDArrayIndex.all(), NDArrayIndex.all());
    }
}
