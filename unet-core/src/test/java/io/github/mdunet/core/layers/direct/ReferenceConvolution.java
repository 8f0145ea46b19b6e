package io.github.mdunet.core.layers.direct;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Cross-correlation with any kernel, stride and top-left zero padding, in plain loops (DOUBLE). */
final class ReferenceConvolution {

    private ReferenceConvolution() {
    }

    /**
     * @param padding top and left zero padding
     * @param same    DL4J's Same mode (output {@code ceil(in / stride)}, padding as given at the top and left) or
     *                Truncate (output {@code (in + 2 * pad - k) / stride + 1})
     */
    static INDArray conv2d(INDArray x, INDArray weights, INDArray bias, int[] kernel, int[] stride, int[] padding,
                           boolean same) {
        long n = x.size(0), in = x.size(1), height = x.size(2), width = x.size(3);
        long out = weights.size(0);
        long outHeight = same ? (height + stride[0] - 1) / stride[0] : (height + 2L * padding[0] - kernel[0]) / stride[0] + 1;
        long outWidth = same ? (width + stride[1] - 1) / stride[1] : (width + 2L * padding[1] - kernel[1]) / stride[1] + 1;
        INDArray result = Nd4j.create(DataType.DOUBLE, n, out, outHeight, outWidth);
        for (long b = 0; b < n; b++)
            for (long o = 0; o < out; o++)
                for (long h = 0; h < outHeight; h++)
                    for (long w = 0; w < outWidth; w++) {
                        double sum = bias == null ? 0 : bias.getDouble(o);
                        for (long i = 0; i < in; i++)
                            for (long kh = 0; kh < kernel[0]; kh++)
                                for (long kw = 0; kw < kernel[1]; kw++) {
                                    long sh = h * stride[0] + kh - padding[0];
                                    long sw = w * stride[1] + kw - padding[1];
                                    if (sh >= 0 && sh < height && sw >= 0 && sw < width) {
                                        sum += weights.getDouble(o, i, kh, kw) * x.getDouble(b, i, sh, sw);
                                    }
                                }
                        result.putScalar(new long[] {b, o, h, w}, sum);
                    }
        return result;
    }

}
