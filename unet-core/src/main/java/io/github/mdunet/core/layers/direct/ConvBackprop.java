package io.github.mdunet.core.layers.direct;

import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The ways a direct layer's convolution can compute its gradients: given {@code dL/dy} ({@code [N, out, outH, outW]}),
 * the input's ({@code [N, in, H, W]}), the weights' ({@code [out, in, kH, kW]}) and the bias's ({@code [out]}). All
 * give the same gradients up to float rounding; which is fastest depends on the shape and the native build, so
 * {@link ConvBackpropChoice} times the {@link #candidates} of a shape once and keeps the fastest.
 *
 * <p>Measured on an AVX2 machine (nd4j-native's {@code -onednn-avx2} build, the seed U-Net at 256 x 256, batch 4):
 * oneDNN's weight gradient inside {@code conv2d_bp} takes 3.4 s for the middle's 3 x 3, 2048 to 2048 channels at
 * 8 x 8 (its forward pass 0.3 s), where {@link #SPLIT} takes 0.3 s; but that build's transposed convolution is slow
 * on large maps (2.4 s against {@code conv2d_bp}'s 0.5 s for 512 to 256 channels at 64 x 64). docs/BENCHMARKS.md
 * has the table and its command.
 */
enum ConvBackprop {
    /** libnd4j's {@code conv2d_bp}: both gradients in one op (oneDNN's or cuDNN's backward passes, or generic). */
    COMBINED,
    /**
     * The input's gradient by the transposed convolution ({@link NativeOps#convInputGradient}), the weights' by
     * {@code im2col} and one SGEMM per image accumulating into the weight gradient, the bias's by a sum.
     */
    SPLIT,
    /**
     * Both gradients by SGEMM, one image at a time: the weights' as {@link #SPLIT}'s, the input's as
     * {@code col2im(W^T x dL/dy)} (the patches' gradients folded back onto the image), the bias's by a sum.
     */
    GEMM,
    /**
     * The input's gradient alone, by the transposed convolution: a frozen convolution, whose weights take no step;
     * its weight and bias gradients are left as they are.
     */
    INPUT_ONLY;

    /** Weights ({@code out x in x kH x kW}) from which a convolution has more than one candidate. */
    static final long MEASURED_MIN_WEIGHTS = 1L << 17;

    /**
     * A convolution's backward pass: its input {@code x} ({@code [N, in, H, W]}), weights ({@code [out, in, kH, kW]}),
     * bias ({@code [out]}, null when it has none), {@code dL/dy} ({@code [N, out, outH, outW]}) and geometry.
     */
    record Operands(INDArray input, INDArray weights, INDArray bias, INDArray outputGradient, ConvGeometry geometry) {
    }

    /**
     * Where a backward pass writes: {@code dL/dx} (the input's shape), {@code dL/dW} (the weights') and {@code dL/db}
     * (null when there is no bias). The arrays may be views of any layout.
     */
    record Gradients(INDArray input, INDArray weights, INDArray bias) {
    }

    /**
     * Whether this way gives the gradients a convolution of {@code geometry} in {@code dataType} needs:
     * {@link #COMBINED} always; the ways by the transposed convolution or SGEMM in FLOAT and DOUBLE where the
     * transposed convolution gives back the input's size (stride 1, dilation 1, odd kernel sides); {@link #INPUT_ONLY}
     * only for a frozen convolution, whose weight gradient is not used.
     */
    boolean appliesTo(ConvGeometry geometry, DataType dataType, boolean frozen) {
        boolean transposable = (dataType == DataType.FLOAT || dataType == DataType.DOUBLE)
                && geometry.transposeKeepsInputSize();
        return switch (this) {
            case COMBINED -> true;
            case SPLIT, GEMM -> transposable;
            case INPUT_ONLY -> transposable && frozen;
        };
    }

    /**
     * The ways worth timing for a convolution of {@code geometry} and {@code weights}, {@link #COMBINED} first:
     * {@link #COMBINED} alone off the CPU backend (cuDNN's backward passes) and below {@link #MEASURED_MIN_WEIGHTS}
     * weights; otherwise each way that {@link #appliesTo} it, but for a frozen convolution only those that skip the
     * weight gradient and for a 1 x 1 one no way by {@code im2col} (its weight gradient is no faster so).
     */
    static List<ConvBackprop> candidates(ConvGeometry geometry, long weights, DataType dataType, boolean frozen,
                                         boolean cpu) {
        if (!cpu || weights < MEASURED_MIN_WEIGHTS) {
            return List.of(COMBINED);
        }
        return Arrays.stream(values()).filter(way -> way.appliesTo(geometry, dataType, frozen))
                .filter(way -> switch (way) {
                    case COMBINED -> true;
                    case SPLIT, GEMM -> !frozen && !geometry.pointwise();
                    case INPUT_ONLY -> true;
                }).toList();
    }

    /** Whether this way uses {@link Scratch#patches}. */
    boolean usesPatches() {
        return switch (this) {
            case COMBINED, INPUT_ONLY -> false;
            case SPLIT, GEMM -> true;
        };
    }

    /**
     * Writes the gradients this way computes: all three, or {@code dL/dx} alone for {@link #INPUT_ONLY} (the others
     * left as they are).
     *
     * @return whether the weight and bias gradients were written
     */
    boolean run(Operands operands, Gradients gradients, Scratch scratch) {
        INDArray dy = operands.outputGradient();
        ConvGeometry geometry = operands.geometry();
        return switch (this) {
            case COMBINED -> {
                NativeOps.conv2dBackprop(operands.input(), operands.weights(), operands.bias(), dy, geometry,
                        gradients.input(), gradients.weights(), gradients.bias());
                yield true;
            }
            case SPLIT -> {
                NativeOps.convInputGradient(operands.weights(), dy, geometry, gradients.input());
                weightAndBiasGradients(operands, gradients, scratch.perImage(dy), scratch);
                yield true;
            }
            case GEMM -> {
                INDArray perImage = scratch.perImage(dy);
                inputGradientByGemm(operands, gradients.input(), perImage, scratch);
                weightAndBiasGradients(operands, gradients, perImage, scratch);
                yield true;
            }
            case INPUT_ONLY -> {
                NativeOps.convInputGradient(operands.weights(), dy, geometry, gradients.input());
                yield false;
            }
        };
    }

    /**
     * {@code dL/dW = sum over images of dL/dy [out, outH * outW] x patches [in * kH * kW, outH * outW]^T} and
     * {@code dL/db} the sum of {@code dL/dy} over the images and pixels.
     */
    private static void weightAndBiasGradients(Operands operands, Gradients gradients, INDArray perImage,
                                               Scratch scratch) {
        INDArray weightGradient = gradients.weights();
        INDArray columns = scratch.patches(operands);
        long outputChannels = perImage.size(1);
        INDArray patches = columns.reshape('c', weightGradient.length() / outputChannels, -1);
        boolean inPlace = Scratch.isContiguous(weightGradient);
        INDArray matrix = inPlace ? weightGradient.reshape('c', outputChannels, -1)
                : scratch.uninitialized(weightGradient.dataType(), outputChannels, patches.size(0));
        // per-image views of a strided view can come out wrong in ND4J M2.1 (the last image's came out empty)
        INDArray images = scratch.contiguous(operands.input());
        for (long image = 0; image < images.size(0); image++) {
            NativeOps.im2col(image(images, image), operands.geometry(), columns);
            Nd4j.gemm(matrixOf(perImage, image), patches, matrix, false, true, 1.0, image == 0 ? 0.0 : 1.0);
        }
        if (!inPlace) {
            weightGradient.assign(matrix.reshape('c', weightGradient.shape()));
        }
        if (gradients.bias() != null) {
            operands.outputGradient().sum(gradients.bias(), 0, 2, 3);
        }
    }

    /** {@code dL/dx = col2im(W [out, in * kH * kW]^T x dL/dy [out, outH * outW])}, image by image. */
    private static void inputGradientByGemm(Operands operands, INDArray inputGradient, INDArray perImage,
                                            Scratch scratch) {
        INDArray columns = scratch.patches(operands);
        long outputChannels = perImage.size(1);
        INDArray patches = columns.reshape('c', operands.weights().length() / outputChannels, -1);
        INDArray matrix = scratch.contiguous(operands.weights()).reshape('c', outputChannels, -1);
        boolean inPlace = Scratch.isContiguous(inputGradient);
        INDArray images = inPlace ? inputGradient
                : scratch.uninitialized(inputGradient.dataType(), inputGradient.shape());
        for (long image = 0; image < images.size(0); image++) {
            Nd4j.gemm(matrix, matrixOf(perImage, image), patches, true, false, 1.0, 0.0);
            NativeOps.col2im(columns, operands.geometry(), image(images, image));
        }
        if (!inPlace) {
            inputGradient.assign(images);
        }
    }

    /** Image {@code index} of {@code [N, rows, columns]}, as a {@code [rows, columns]} matrix. */
    private static INDArray matrixOf(INDArray perImage, long index) {
        return perImage.get(NDArrayIndex.point(index), NDArrayIndex.all(), NDArrayIndex.all());
    }

    /**
     * Image {@code index} of an NCHW array, as a rank-4 view (of a C-order array: ND4J M2.1 can get the last image's
     * view of a strided view wrong).
     */
    static INDArray image(INDArray array, long index) {
        return array.get(NDArrayIndex.interval(index, index + 1), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all());
    }

    /**
     * The working memory of one backward pass, in {@code workspaceMgr}'s backward working memory: one image's patches,
     * made when a way first asks for them and shared by the ways run in the pass, and C-order copies of operands that
     * are not.
     */
    static final class Scratch {

        private final LayerWorkspaceMgr workspaceMgr;
        private INDArray patches;

        Scratch(LayerWorkspaceMgr workspaceMgr) {
            this.workspaceMgr = workspaceMgr;
        }

        /** One image's patches of the pass's convolution, {@code [1, in, kH, kW, outH, outW]}. */
        INDArray patches(Operands operands) {
            if (patches == null) {
                patches = uninitialized(operands.outputGradient().dataType(), patchShape(operands.input().size(1),
                        operands.weights().size(2), operands.weights().size(3), operands.geometry()));
            }
            return patches;
        }

        /** {@code dL/dy} as {@code [N, out, outH * outW]} in C order. */
        INDArray perImage(INDArray outputGradient) {
            return contiguous(outputGradient).reshape('c', outputGradient.size(0), outputGradient.size(1),
                    outputGradient.size(2) * outputGradient.size(3));
        }

        INDArray uninitialized(DataType dataType, long... shape) {
            return workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, shape, 'c');
        }

        /** {@code array} itself when it is {@link #isContiguous}, else a C-order copy. */
        INDArray contiguous(INDArray array) {
            return isContiguous(array) ? array : workspaceMgr.dup(ArrayType.BP_WORKING_MEM, array, 'c');
        }

        /** In C order with no gaps, so that a C-order reshape is a view of it. */
        static boolean isContiguous(INDArray array) {
            return array.ordering() == 'c' && Shape.hasDefaultStridesForShape(array);
        }
    }

    /** The shape of one image's patches: {@code [1, in, kH, kW, outH, outW]}. */
    static long[] patchShape(long inputChannels, long kernelHeight, long kernelWidth, ConvGeometry geometry) {
        return new long[] {1, inputChannels, kernelHeight, kernelWidth, geometry.outputHeight(),
            geometry.outputWidth()};
    }
}
