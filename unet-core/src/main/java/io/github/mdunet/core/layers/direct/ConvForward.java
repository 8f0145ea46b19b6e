package io.github.mdunet.core.layers.direct;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ways a direct layer's convolution can compute its output {@code y = conv(x, W) [+ b]}
 * ({@code [N, out, outH, outW]}, C order) from a {@link Convolution}. All give the same output up to float rounding;
 * {@link ConvChoice} times the {@link #candidates} of a shape once and keeps the fastest. Measured on an AVX2 machine
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
     * libnd4j's {@code conv2d} one image at a time: the op's working memory (oneDNN's reordered copies of the input
     * and output) is one image's, for the same arithmetic, and on large batches often less time ({@link
     * #MEASURED_MIN_PER_IMAGE_VALUES}).
     */
    CONV2D_PER_IMAGE {
        @Override
        void run(Convolution convolution, INDArray output, ConvScratch scratch) {
            INDArray images = scratch.contiguous(convolution.input());
            scratch.writePerImage(output, (image, imageOutput) -> NativeOps.conv2d(Nchw.image(images, image),
                    convolution.weights(), convolution.bias(), convolution.geometry(), imageOutput));
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
            case CONV2D, CONV2D_PER_IMAGE -> true;
            case POINTWISE -> (dataType == DataType.FLOAT || dataType == DataType.DOUBLE) && geometry.matrixProduct();
        };
    }

    /**
     * The ways worth timing for a convolution of {@code geometry} and {@code weights} weights, {@link #CONV2D} first:
     * on the CPU backend {@link #POINTWISE} too where it applies, from {@link #MEASURED_MIN_POINTWISE_WORK}
     * multiply-adds per image or, under a {@code workspace} limit, at any size; and {@link #CONV2D_PER_IMAGE} last
     * where {@code perImage} ({@link #timesPerImage}).
     */
    static List<ConvForward> candidates(ConvGeometry geometry, long weights, DataType dataType, boolean cpu,
                                        ConvWorkspace workspace, boolean perImage) {
        if (!cpu) {
            return List.of(CONV2D);
        }
        List<ConvForward> ways = new ArrayList<>(List.of(CONV2D));
        if (timesPointwise(geometry, weights, dataType, workspace)) {
            ways.add(POINTWISE);
        }
        if (perImage) {
            ways.add(CONV2D_PER_IMAGE);
        }
        return List.copyOf(ways);
    }

    /**
     * Values of a batch's input and output together from which a convolution of more than one image times its
     * per-image ways. Measured on the seed's network at 512 x 512, batch 8 (AVX-512, {@code -onednn-avx512}): one
     * image at a time, oneDNN ran from 0.9x to 1.6x as fast as on the whole batch from about 2^25 values (3 x 3,
     * 256 to 256 channels at 128 x 128: 1.45 s against 2.26 s backward) with a tenth of the working memory, and
     * 2x to 2.6x slower below (3 x 3, 2048 to 1024 channels at 32 x 32, 25 million values: 5.9 s against 3.0 s
     * backward).
     */
    static final long MEASURED_MIN_PER_IMAGE_VALUES = 1L << 25;

    /**
     * Whether a convolution of {@code convolution}'s shape times its per-image ways ({@link #CONV2D_PER_IMAGE},
     * {@link ConvBackprop#COMBINED_PER_IMAGE}).
     */
    static boolean timesPerImage(Convolution convolution, ConvWorkspace workspace) {
        long batch = convolution.input().size(0);
        long outputValues = batch * convolution.outputChannels() * convolution.geometry().outputHeight()
                * convolution.geometry().outputWidth();
        return timesPerImage(batch, convolution.input().length() + outputValues, workspace);
    }

    /**
     * Whether a convolution of {@code batch} images whose input and output hold {@code values} values together times
     * its per-image ways: from two images, under a {@code workspace} limit or from
     * {@link #MEASURED_MIN_PER_IMAGE_VALUES} values.
     */
    static boolean timesPerImage(long batch, long values, ConvWorkspace workspace) {
        return batch > 1 && (workspace.limited() || values >= MEASURED_MIN_PER_IMAGE_VALUES);
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
