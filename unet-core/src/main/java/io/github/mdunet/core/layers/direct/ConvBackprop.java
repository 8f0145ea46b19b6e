package io.github.mdunet.core.layers.direct;

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
     * The paths worth timing for a convolution of {@code geometry} and {@code weights}, {@link #COMBINED} first:
     * {@link #COMBINED} alone off the CPU backend (cuDNN's backward passes), for types other than FLOAT and DOUBLE,
     * below {@link #MEASURED_MIN_WEIGHTS} weights, and where the transposed convolution would not give back the
     * input's size (strides, dilations, even kernels); otherwise also {@link #INPUT_ONLY} for a frozen convolution
     * and {@link #SPLIT} and {@link #GEMM} for a k x k one (k > 1; a 1 x 1 one's weight gradient is no faster by
     * im2col).
     */
    static List<ConvBackprop> candidates(ConvGeometry geometry, long weights, DataType dataType, boolean frozen,
                                         boolean cpu) {
        boolean transposable = cpu && (dataType == DataType.FLOAT || dataType == DataType.DOUBLE)
                && geometry.transposeKeepsInputSize();
        if (!transposable || weights < MEASURED_MIN_WEIGHTS) {
            return List.of(COMBINED);
        }
        if (frozen) {
            return List.of(COMBINED, INPUT_ONLY);
        }
        return geometry.pointwise() ? List.of(COMBINED) : List.of(COMBINED, SPLIT, GEMM);
    }

    /**
     * Writes the gradients this path computes into {@code inputGradient}, {@code weightGradient} and
     * {@code biasGradient} (null when there is no bias); the SGEMM ways' patches, one image's at a time, are working
     * memory of {@code workspaceMgr}.
     */
    void run(INDArray input, INDArray weights, INDArray bias, INDArray outputGradient, ConvGeometry geometry,
             INDArray inputGradient, INDArray weightGradient, INDArray biasGradient, LayerWorkspaceMgr workspaceMgr) {
        boolean weightsBySgemm = switch (this) {
            case COMBINED -> {
                NativeOps.conv2dBackprop(input, weights, bias, outputGradient, geometry, inputGradient,
                        weightGradient, biasGradient);
                yield false;
            }
            case SPLIT -> {
                NativeOps.convInputGradient(weights, outputGradient, geometry, inputGradient);
                yield true;
            }
            case GEMM -> {
                INDArray columns = patchBuffer(input.size(1), weights, outputGradient, workspaceMgr);
                inputGradientByGemm(weights, outputGradient, geometry, inputGradient, columns, workspaceMgr);
                weightGradient(input, outputGradient, geometry, weightGradient, columns, workspaceMgr);
                sumBias(outputGradient, biasGradient);
                yield false;
            }
            case INPUT_ONLY -> {
                NativeOps.convInputGradient(weights, outputGradient, geometry, inputGradient);
                yield false;
            }
        };
        if (weightsBySgemm) {
            weightGradient(input, outputGradient, geometry, weightGradient,
                    patchBuffer(input.size(1), weights, outputGradient, workspaceMgr), workspaceMgr);
            sumBias(outputGradient, biasGradient);
        }
    }

    private static void sumBias(INDArray outputGradient, INDArray biasGradient) {
        if (biasGradient != null) {
            outputGradient.sum(biasGradient, 0, 2, 3);
        }
    }

    /** {@code dL/dW = sum over images of dL/dy [out, outH * outW] x patches [in * kH * kW, outH * outW]^T}. */
    private static void weightGradient(INDArray input, INDArray outputGradient, ConvGeometry geometry,
                                       INDArray weightGradient, INDArray columns, LayerWorkspaceMgr workspaceMgr) {
        INDArray gradients = perImage(outputGradient, workspaceMgr);
        INDArray patches = columns.reshape('c', weightGradient.length() / outputGradient.size(1), -1);
        boolean inPlace = isContiguous(weightGradient);
        INDArray matrix = inPlace ? weightGradient.reshape('c', outputGradient.size(1), -1)
                : workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, weightGradient.dataType(),
                        new long[] {outputGradient.size(1), patches.size(0)}, 'c');
        // per-image views of a strided view can come out wrong in ND4J M2.1 (the last image's came out empty)
        INDArray images = contiguous(input, workspaceMgr);
        for (long image = 0; image < input.size(0); image++) {
            NativeOps.im2col(image(images, image), geometry, columns);
            Nd4j.gemm(gradients.get(NDArrayIndex.point(image), NDArrayIndex.all(), NDArrayIndex.all()), patches,
                    matrix, false, true, 1.0, image == 0 ? 0.0 : 1.0);
        }
        if (!inPlace) {
            weightGradient.assign(matrix.reshape('c', weightGradient.shape()));
        }
    }

    /** {@code dL/dx = col2im(W [out, in * kH * kW]^T x dL/dy [out, outH * outW])}, image by image. */
    private static void inputGradientByGemm(INDArray weights, INDArray outputGradient, ConvGeometry geometry,
                                            INDArray inputGradient, INDArray columns,
                                            LayerWorkspaceMgr workspaceMgr) {
        INDArray gradients = perImage(outputGradient, workspaceMgr);
        INDArray patches = columns.reshape('c', weights.length() / outputGradient.size(1), -1);
        INDArray matrix = contiguous(weights, workspaceMgr).reshape('c', outputGradient.size(1), -1);
        boolean inPlace = isContiguous(inputGradient);
        INDArray images = inPlace ? inputGradient : workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM,
                inputGradient.dataType(), inputGradient.shape(), 'c');
        for (long image = 0; image < inputGradient.size(0); image++) {
            Nd4j.gemm(matrix, gradients.get(NDArrayIndex.point(image), NDArrayIndex.all(), NDArrayIndex.all()),
                    patches, true, false, 1.0, 0.0);
            NativeOps.col2im(columns, geometry, image(images, image));
        }
        if (!inPlace) {
            inputGradient.assign(images);
        }
    }

    /** {@code dL/dy} as {@code [N, out, outH * outW]} in C order. */
    private static INDArray perImage(INDArray outputGradient, LayerWorkspaceMgr workspaceMgr) {
        return contiguous(outputGradient, workspaceMgr).reshape('c', outputGradient.size(0), outputGradient.size(1),
                outputGradient.size(2) * outputGradient.size(3));
    }

    /**
     * Working memory for one image's patches, {@code [1, in, kH, kW, outH, outW]}: the SGEMM ways' one buffer (kept in
     * the backward pass's workspace, which keeps its largest size).
     */
    private static INDArray patchBuffer(long inputChannels, INDArray kernel, INDArray outputGradient,
                                        LayerWorkspaceMgr workspaceMgr) {
        return workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, outputGradient.dataType(),
                new long[] {1, inputChannels, kernel.size(2), kernel.size(3), outputGradient.size(2),
                    outputGradient.size(3)}, 'c');
    }

    /**
     * Image {@code index} of an NCHW array, as a rank-4 view (of a C-order array: ND4J M2.1 can get the last image's
     * view of a strided view wrong).
     */
    static INDArray image(INDArray array, long index) {
        return array.get(NDArrayIndex.interval(index, index + 1), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all());
    }

    /** {@code array} itself when it is {@link #isContiguous}, else a C-order copy in working memory. */
    private static INDArray contiguous(INDArray array, LayerWorkspaceMgr workspaceMgr) {
        return isContiguous(array) ? array : workspaceMgr.dup(ArrayType.BP_WORKING_MEM, array, 'c');
    }

    /** In C order with no gaps, so that a C-order reshape is a view of it. */
    private static boolean isContiguous(INDArray array) {
        return array.ordering() == 'c' && Shape.hasDefaultStridesForShape(array);
    }
}
