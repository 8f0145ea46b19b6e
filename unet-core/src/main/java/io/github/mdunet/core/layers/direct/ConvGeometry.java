package io.github.mdunet.core.layers.direct;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The integer arguments of libnd4j's {@code conv2d} / {@code conv2d_bp} for one input, computed as DL4J's oneDNN
 * convolution helper computes them (so the fused and stock layers pad alike): NCHW data, weights
 * {@code [out, in, kH, kW]}.
 *
 * @param outputHeight output rows
 * @param outputWidth  output columns
 * @param arguments    kH, kW, sH, sW, pH, pW, dH, dW, same mode (0/1), data format (0 = NCHW), weight format
 *                     (1 = OIHW)
 */
record ConvGeometry(int outputHeight, int outputWidth, int[] arguments) {

    private static final int NCHW = 0;
    private static final int WEIGHTS_OIHW = 1;

    /**
     * @throws org.deeplearning4j.exception.DL4JInvalidInputException (from DL4J's size check) when the input does
     *                                                                 not fit the kernel, stride and mode
     */
    static ConvGeometry of(INDArray input, int[] kernel, int[] stride, int[] padding, int[] dilation,
                           ConvolutionMode mode) {
        int[] outSize = ConvolutionUtils.getOutputSize(input, kernel, stride,
                mode == ConvolutionMode.Same ? null : padding, mode, dilation, CNN2DFormat.NCHW);
        return of((int) input.size(2), (int) input.size(3), outSize, kernel, stride, padding, dilation, mode);
    }

    /**
     * The geometry of an input of {@code height x width} whose output is {@code outSize} (as DL4J computes it for the
     * same settings, e.g. from the layer's output type): Same mode's padding is the input's.
     */
    static ConvGeometry of(int height, int width, int[] outSize, int[] kernel, int[] stride, int[] padding,
                           int[] dilation, ConvolutionMode mode) {
        int[] pad = mode == ConvolutionMode.Same
                ? ConvolutionUtils.getSameModeTopLeftPadding(outSize, new int[] {height, width}, kernel, stride,
                        dilation)
                : padding;
        int[] arguments = {kernel[0], kernel[1], stride[0], stride[1], pad[0], pad[1], dilation[0], dilation[1],
                mode == ConvolutionMode.Same ? 1 : 0, NCHW, WEIGHTS_OIHW};
        return new ConvGeometry(outSize[0], outSize[1], arguments);
    }

    /**
     * Whether {@code col2im} with these arguments folds the patches back onto the input's size, in the geometry the
     * SGEMM backward way is checked for: stride 1, dilation 1 and odd kernel sides, so that the padding is the same
     * on both sides of each axis.
     */
    boolean patchesFoldBackToInputSize() {
        return arguments[2] == 1 && arguments[3] == 1 && arguments[6] == 1 && arguments[7] == 1
                && arguments[0] % 2 == 1 && arguments[1] % 2 == 1;
    }

    /** Whether the kernel is 1 x 1. */
    boolean pointwise() {
        return arguments[0] == 1 && arguments[1] == 1;
    }

    /**
     * Whether each image's convolution is one matrix product, {@code W [out, in] x x [in, H * W]}: a 1 x 1 kernel,
     * stride 1 and no padding.
     */
    boolean matrixProduct() {
        return pointwise() && arguments[2] == 1 && arguments[3] == 1 && arguments[4] == 0 && arguments[5] == 0;
    }

    /** The arguments of libnd4j's {@code im2col}: kernel, stride, padding, dilation and same mode. */
    int[] im2colArguments() {
        return Arrays.copyOf(arguments, 9);
    }

    /**
     * The arguments of libnd4j's {@code col2im} onto an image of {@code height x width}: stride, padding, size,
     * dilation, and same mode off (the padding is given, as computed for it).
     */
    int[] col2imArguments(long height, long width) {
        return new int[] {arguments[2], arguments[3], arguments[4], arguments[5], (int) height, (int) width,
            arguments[6], arguments[7], 0};
    }

    /** Multiply-adds per image of a convolution of {@code weights} weights: weights times output pixels. */
    long multiplyAddsPerImage(long weights) {
        return weights * outputHeight * outputWidth;
    }

    long[] outputShape(long batch, long channels) {
        return new long[] {batch, channels, outputHeight, outputWidth};
    }
}
