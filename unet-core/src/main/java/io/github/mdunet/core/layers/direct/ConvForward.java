package io.github.mdunet.core.layers.direct;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ways a direct layer's convolution can compute its output {@code y = conv(x, W) [+ b]}
 * ({@code [N, out, outH, outW]}, C order) from a {@link Convolution}. Both give the same output up to float rounding;
 * {@link ConvChoice} times the {@link #candidates} of a shape once and keeps the faster. Measured on an AVX2 machine
 * ({@code -onednn-avx2} build): oneDNN's 1 x 1 convolution runs at 11 to 40 GFLOP/s where it widens the channels
 * (64 to 256 at 64 x 64, batch 4: 49 ms) and SGEMM at 140 to 340 (the same: 4 ms).
 */
enum ConvForward {
    /** libnd4j's {@code conv2d} (oneDNN's or cuDNN's, or generic). */
    CONV2D {
        @Override
        void run(Convolution convolution, INDArray output, ConvScratch scratch) {
            NativeOps.conv2d(convolution.input(), convolution.weights(), convolution.bias(), convolution.geometry(),
                    output);
        }
    },
    /**
     * A {@link ConvGeometry#matrixProduct()} convolution as one SGEMM per image, {@code y_i = W [out, in] x
     * x_i [in, H * W]}, then the bias added per channel.
     */
    POINTWISE {
        @Override
        void run(Convolution convolution, INDArray output, ConvScratch scratch) {
            if (!ConvScratch.isContiguous(output)) {
                throw new IllegalArgumentException("the 1 x 1 convolution's output must be a C-order array with no"
                        + " gaps, for its per-image views");
            }
            INDArray weights = scratch.weightMatrix(convolution);
            INDArray inputs = scratch.perImage(convolution.input());
            INDArray outputs = scratch.perImage(output);
            INDArray bias = convolution.bias() == null ? null
                    : convolution.bias().reshape(convolution.outputChannels(), 1);
            for (long image = 0; image < inputs.size(0); image++) {
                INDArray result = Nchw.matrix(outputs, image);
                Nd4j.gemm(weights, Nchw.matrix(inputs, image), result, false, false, 1.0, 0.0);
                if (bias != null) {
                    result.addiColumnVector(bias);
                }
            }
        }
    };

    /**
     * Writes the convolution's output into {@code output}, a C-order array of {@code [N, out, outH, outW]}.
     */
    abstract void run(Convolution convolution, INDArray output, ConvScratch scratch);

    /** Multiply-adds per image from which a {@link ConvGeometry#matrixProduct()} convolution has more than one way. */
    static final long MEASURED_MIN_POINTWISE_WORK = 1L << 24;

    /** Whether this way gives the output of a convolution of {@code geometry} in {@code dataType}. */
    boolean appliesTo(ConvGeometry geometry, DataType dataType) {
        return switch (this) {
            case CONV2D -> true;
            case POINTWISE -> (dataType == DataType.FLOAT || dataType == DataType.DOUBLE) && geometry.matrixProduct();
        };
    }

    /**
     * The ways worth timing for a convolution of {@code geometry} and {@code weights} weights, {@link #CONV2D} first:
     * {@link #POINTWISE} too on the CPU backend where it applies, from
     * {@link #MEASURED_MIN_POINTWISE_WORK} multiply-adds per image or, under a {@code workspace} limit, at any size.
     */
    static List<ConvForward> candidates(ConvGeometry geometry, long weights, DataType dataType, boolean cpu,
                                        ConvWorkspace workspace) {
        return cpu && timesPointwise(geometry, weights, dataType, workspace) ? List.of(CONV2D, POINTWISE)
                : List.of(CONV2D);
    }

    /**
     * Whether a convolution's passes time their matrix-product ways (this enum's and {@link ConvBackprop#POINTWISE}):
     * where {@link #POINTWISE} applies, from {@link #MEASURED_MIN_POINTWISE_WORK} multiply-adds per image or, under a
     * {@code workspace} limit, at any size.
     */
    static boolean timesPointwise(ConvGeometry geometry, long weights, DataType dataType, ConvWorkspace workspace) {
        return POINTWISE.appliesTo(geometry, dataType) && (workspace.limited()
                || geometry.multiplyAddsPerImage(weights) >= MEASURED_MIN_POINTWISE_WORK);
    }
}
