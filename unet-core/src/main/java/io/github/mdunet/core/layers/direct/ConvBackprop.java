package io.github.mdunet.core.layers.direct;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ways a direct layer's convolution can compute its gradients: given the {@link Convolution} and {@code dL/dy}
 * ({@code [N, out, outH, outW]}), {@code dL/dx}, {@code dL/dW} and {@code dL/db} into {@link ConvGradients}; for a
 * frozen convolution (no weight gradient wanted) the ways other than {@link #COMBINED} leave the weight and bias
 * gradients alone. All give the same gradients up to float rounding; which is fastest depends on the shape and the
 * native build, so {@link ConvChoice} times the {@link #candidates} of a shape once and keeps the fastest.
 *
 * <p>Measured on an AVX2 machine (nd4j-native's {@code -onednn-avx2} build, the seed U-Net at 256 x 256, batch 4):
 * oneDNN's weight gradient inside {@code conv2d_bp} takes 3.4 s for the middle's 3 x 3, 2048 to 2048 channels at
 * 8 x 8 (its forward pass 0.3 s), where an SGEMM weight gradient takes 0.3 s; and its 1 x 1
 * {@code conv2d_bp} is up to 9x slower than {@link #POINTWISE} where the convolution widens the channels (64 to 256
 * at 64 x 64: 86 ms against 9 ms). A third way, the input's gradient by libnd4j's transposed convolution
 * ({@code deconv2d}), was timed too until it was found never chosen on the seed's network (at 256 x 256, batch 4 and
 * at 512 x 512, batch 8) while its runs took a quarter of the first step's time and, at 512 x 512, 4.6 GiB of
 * memory beyond the step's. docs/BENCHMARKS.md has the tables and their commands.
 */
enum ConvBackprop {
    /** libnd4j's {@code conv2d_bp}: both gradients in one op (oneDNN's or cuDNN's backward passes, or generic). */
    COMBINED {
        @Override
        void run(Convolution convolution, INDArray outputGradient, ConvGradients gradients, boolean weightsToo,
                 ConvScratch scratch) {
            NativeOps.conv2dBackprop(convolution.input(), convolution.weights(), convolution.bias(), outputGradient,
                    convolution.geometry(), gradients.input(), gradients.weights(), gradients.bias());
        }
    },
    /**
     * libnd4j's {@code conv2d_bp} one image at a time: the op's working memory (oneDNN's reordered copies of the
     * input and both gradients) is one image's, for the same arithmetic; the weight and bias gradients are summed over
     * the images from one image's, held in working memory. Timed where {@link ConvForward#timesPerImage}.
     */
    COMBINED_PER_IMAGE {
        @Override
        void run(Convolution convolution, INDArray outputGradient, ConvGradients gradients, boolean weightsToo,
                 ConvScratch scratch) {
            INDArray images = scratch.contiguous(convolution.input());
            INDArray imageOutputGradients = scratch.contiguous(outputGradient);
            INDArray imageWeights = scratch.uninitialized(convolution.dataType(), convolution.weights().shape());
            INDArray imageBias = convolution.bias() == null ? null
                    : scratch.uninitialized(convolution.dataType(), convolution.outputChannels());
            scratch.writePerImage(gradients.input(), (image, inputGradient) -> {
                NativeOps.conv2dBackprop(Nchw.image(images, image), convolution.weights(), convolution.bias(),
                        Nchw.image(imageOutputGradients, image), convolution.geometry(), inputGradient, imageWeights,
                        imageBias);
                if (weightsToo) {
                    addOrAssign(gradients.weights(), imageWeights, image == 0);
                    if (imageBias != null) {
                        addOrAssign(gradients.bias(), imageBias, image == 0);
                    }
                }
            });
        }
    },
    /**
     * Both gradients by SGEMM, one image at a time: the weights' from {@code im2col}'s patches, the input's as
     * {@code col2im(W^T x dL/dy)} (the patches' gradients folded back onto the image), the bias's by a sum.
     */
    GEMM {
        @Override
        void run(Convolution convolution, INDArray outputGradient, ConvGradients gradients, boolean weightsToo,
                 ConvScratch scratch) {
            INDArray perImage = scratch.perImage(outputGradient);
            INDArray columns = scratch.patches(convolution);
            INDArray patches = columns.reshape('c', convolution.weights().length() / perImage.size(1), -1);
            INDArray weights = scratch.weightMatrix(convolution);
            scratch.writePerImage(gradients.input(), (image, inputGradient) -> {
                Nd4j.gemm(weights, Nchw.matrix(perImage, image), patches, true, false, 1.0, 0.0);
                NativeOps.col2im(columns, convolution.geometry(), inputGradient);
            });
            if (weightsToo) {
                weightAndBiasGradients(convolution, perImage, gradients, scratch, (images, image) -> {
                    NativeOps.im2col(Nchw.image(images, image), convolution.geometry(), columns);
                    return patches;
                });
            }
        }
    },
    /**
     * A convolution that is one matrix product per image ({@link ConvGeometry#matrixProduct()}) differentiated as
     * such by SGEMM, no patches: {@code dL/dx_i = W^T x dL/dy_i}, {@code dL/dW = sum over i of dL/dy_i x x_i^T}, the
     * bias's by a sum.
     */
    POINTWISE {
        @Override
        void run(Convolution convolution, INDArray outputGradient, ConvGradients gradients, boolean weightsToo,
                 ConvScratch scratch) {
            INDArray perImage = scratch.perImage(outputGradient);
            INDArray weights = scratch.weightMatrix(convolution);
            scratch.writePerImage(gradients.input(), (image, inputGradient) ->
                    Nd4j.gemm(weights, Nchw.matrix(perImage, image),
                            inputGradient.reshape('c', convolution.inputChannels(), -1), true, false, 1.0, 0.0));
            if (weightsToo) {
                weightAndBiasGradients(convolution, perImage, gradients, scratch,
                        (images, image) -> Nchw.matrix(scratch.perImage(images), image));
            }
        }
    };

    /** Weights ({@code out x in x kH x kW}) from which a k x k convolution (k > 1) has more than one candidate. */
    static final long MEASURED_MIN_WEIGHTS = 1L << 17;

    /**
     * Writes {@code dL/dx}, and with {@code weightsToo} {@code dL/dW} and {@code dL/db} ({@link #COMBINED} always
     * writes all three), given {@code dL/dy} ({@code [N, out, outH, outW]}).
     */
    abstract void run(Convolution convolution, INDArray outputGradient, ConvGradients gradients, boolean weightsToo,
                      ConvScratch scratch);

    /**
     * Whether this way gives the gradients of a convolution of {@code geometry} in {@code dataType}: {@link #COMBINED}
     * always; the others in FLOAT and DOUBLE only, {@link #GEMM} where the patches fold back onto the input's size
     * ({@link ConvGeometry#patchesFoldBackToInputSize()}), {@link #POINTWISE} where the convolution is a
     * {@link ConvGeometry#matrixProduct()}.
     */
    boolean appliesTo(ConvGeometry geometry, DataType dataType) {
        boolean bySgemm = dataType == DataType.FLOAT || dataType == DataType.DOUBLE;
        return switch (this) {
            case COMBINED, COMBINED_PER_IMAGE -> true;
            case GEMM -> bySgemm && geometry.patchesFoldBackToInputSize();
            case POINTWISE -> bySgemm && geometry.matrixProduct();
        };
    }

    /**
     * The ways worth timing for a convolution of {@code geometry} and {@code weights} weights, {@link #COMBINED}
     * first: {@link #COMBINED} alone off the CPU backend (cuDNN's backward passes); {@link #POINTWISE} too where the
     * forward pass times its matrix-product way ({@link ConvForward#timesPointwise}); {@link #GEMM} too for a k x k
     * one (k > 1) where it applies, of at least {@link #MEASURED_MIN_WEIGHTS} weights or, under a {@code workspace}
     * limit, of any size; and {@link #COMBINED_PER_IMAGE} last where {@code perImage}
     * ({@link ConvForward#timesPerImage}).
     */
    static List<ConvBackprop> candidates(ConvGeometry geometry, long weights, DataType dataType, boolean cpu,
                                         ConvWorkspace workspace, boolean perImage) {
        if (!cpu) {
            return List.of(COMBINED);
        }
        List<ConvBackprop> ways = new ArrayList<>(List.of(COMBINED));
        if (ConvForward.timesPointwise(geometry, weights, dataType, workspace)) {
            ways.add(POINTWISE);
        } else if (!geometry.pointwise() && GEMM.appliesTo(geometry, dataType)
                && (workspace.limited() || weights >= MEASURED_MIN_WEIGHTS)) {
            ways.add(GEMM);
        }
        if (perImage) {
            ways.add(COMBINED_PER_IMAGE);
        }
        return List.copyOf(ways);
    }

    /** Whether this way takes {@link ConvScratch#patches} (with or without the weight gradient). */
    boolean usesPatches() {
        return switch (this) {
            case COMBINED, COMBINED_PER_IMAGE, POINTWISE -> false;
            case GEMM -> true;
        };
    }

    private static void addOrAssign(INDArray total, INDArray term, boolean first) {
        if (first) {
            total.assign(term);
        } else {
            total.addi(term);
        }
    }

    /** What one image's weight gradient multiplies {@code dL/dy} by: its patches as a matrix. */
    @FunctionalInterface
    private interface ImagePatches {
        /** Image {@code image}'s patches of {@code images} (C order), {@code [in * kH * kW, outH * outW]}. */
        INDArray of(INDArray images, long image);
    }

    /**
     * {@code dL/dW = sum over images of dL/dy [out, outH * outW] x patches [in * kH * kW, outH * outW]^T}, the
     * patches as {@code patchesOf} gives them ({@code im2col}'s, or for a matrix product the image itself,
     * {@code [in, H * W]}); and {@code dL/db} the sum of {@code dL/dy} over the images and pixels.
     */
    private static void weightAndBiasGradients(Convolution convolution, INDArray perImage, ConvGradients gradients,
                                               ConvScratch scratch, ImagePatches patchesOf) {
        INDArray weightGradient = gradients.weights();
        long outputChannels = perImage.size(1);
        boolean inPlace = ConvScratch.isContiguous(weightGradient);
        INDArray matrix = inPlace ? weightGradient.reshape('c', outputChannels, -1)
                : scratch.uninitialized(weightGradient.dataType(), outputChannels,
                        weightGradient.length() / outputChannels);
        // per-image views of a strided view can come out wrong in ND4J M2.1 (the last image's came out empty)
        INDArray images = scratch.contiguous(convolution.input());
        for (long image = 0; image < images.size(0); image++) {
            Nd4j.gemm(Nchw.matrix(perImage, image), patchesOf.of(images, image), matrix, false, true, 1.0,
                    image == 0 ? 0.0 : 1.0);
        }
        if (!inPlace) {
            weightGradient.assign(matrix.reshape('c', weightGradient.shape()));
        }
        if (gradients.bias() != null) {
            NativeOps.channelSum(perImage, 1.0, gradients.bias());
        }
    }
}
