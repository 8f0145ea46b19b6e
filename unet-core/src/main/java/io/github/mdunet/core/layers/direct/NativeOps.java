package io.github.mdunet.core.layers.direct;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The libnd4j ops of the direct layers, called with their output arrays given (no shape inference, no copies). The
 * CPU backend runs them with oneDNN when it is built in and the data type is FLOAT, the CUDA backend with cuDNN
 * where it has a helper; every op here also has a generic implementation on both backends.
 */
final class NativeOps {

    /** Channel axis of NCHW for the batch-norm ops. */
    private static final int CHANNEL_AXIS = 1;
    private static final int[] NON_CHANNEL_DIMENSIONS = {0, 2, 3};

    private NativeOps() {
    }

    /** {@code output = conv2d(input, weights) + bias}; {@code bias} may be null. */
    static void conv2d(INDArray input, INDArray weights, INDArray bias, ConvGeometry geometry, INDArray output) {
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d");
        op.addInputs(bias == null ? new INDArray[] {input, weights} : new INDArray[] {input, weights, bias});
        Nd4j.exec(op.addOutputs(output).addIntegerArguments(geometry.arguments()).build());
    }

    /**
     * The gradients of {@link #conv2d} given {@code outputGradient}: into {@code inputGradient},
     * {@code weightGradient} and {@code biasGradient} (null when there is no bias).
     */
    static void conv2dBackprop(INDArray input, INDArray weights, INDArray bias, INDArray outputGradient,
                               ConvGeometry geometry, INDArray inputGradient, INDArray weightGradient,
                               INDArray biasGradient) {
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d_bp");
        if (bias == null) {
            op.addInputs(input, weights, outputGradient).addOutputs(inputGradient, weightGradient);
        } else {
            op.addInputs(input, weights, bias, outputGradient).addOutputs(inputGradient, weightGradient, biasGradient);
        }
        Nd4j.exec(op.addIntegerArguments(geometry.arguments()).build());
    }

    /** The patches {@link #conv2d} multiplies: {@code columns} is {@code [N, C, kH, kW, outH, outW]}. */
    static void im2col(INDArray input, ConvGeometry geometry, INDArray columns) {
        Nd4j.exec(DynamicCustomOp.builder("im2col").addInputs(input).addOutputs(columns)
                .addIntegerArguments(geometry.im2colArguments()).build());
    }

    /**
     * The sum of {@code columns} ({@code [N, C, kH, kW, outH, outW]}) back onto the image ({@code [N, C, H, W]}) they
     * were taken from, as {@link #im2col} took them: the gradient of {@code im2col}.
     */
    static void col2im(INDArray columns, ConvGeometry geometry, INDArray image) {
        Nd4j.exec(DynamicCustomOp.builder("col2im").addInputs(columns).addOutputs(image)
                .addIntegerArguments(geometry.col2imArguments(image.size(2), image.size(3))).build());
    }

    /**
     * Per-channel mean and biased variance of an NCHW array, into {@code mean} and {@code variance} ({@code [C]}): the
     * mean by {@link #channelSum}, the variance by libnd4j's {@code reduce_variance} (at 8 x 64 x 256 x 256 in FLOAT,
     * 12 ms for both against 117 ms for ND4J's {@code mean} and {@code Variance} over axes 0, 2 and 3).
     */
    static void moments(INDArray input, INDArray mean, INDArray variance) {
        channelSum(input, 1.0 / valuesPerChannel(input), mean);
        Nd4j.exec(DynamicCustomOp.builder("reduce_variance").addInputs(input).addOutputs(variance)
                .addIntegerArguments(NON_CHANNEL_DIMENSIONS)
                .addBooleanArguments(false, false) // keepDims, biasCorrected
                .build());
    }

    /**
     * {@code scale} times the per-channel sum of {@code input} ({@code [N, C, ...]}) over every axis but 1, into
     * {@code sum} ({@code [C]}). On a contiguous FLOAT or DOUBLE array it is one matrix-vector product over the
     * {@code N * C} rows and a sum of the {@code [N, C]} result (7x faster than ND4J's reduction over axes 0, 2 and 3
     * at 8 x 64 x 256 x 256, and closer to the DOUBLE sum); on any other array libnd4j's {@code reduce_sum}.
     */
    static void channelSum(INDArray input, double scale, INDArray sum) {
        long images = input.size(0);
        long channels = input.size(1);
        DataType type = input.dataType();
        if ((type == DataType.FLOAT || type == DataType.DOUBLE) && input.ordering() == 'c'
                && Shape.hasDefaultStridesForShape(input)) {
            long pixels = input.length() / (images * channels);
            INDArray rowSums = Nd4j.createUninitialized(type, images * channels, 1);
            Nd4j.gemm(input.reshape('c', images * channels, pixels), Nd4j.valueArrayOf(new long[] {pixels, 1}, scale,
                    type), rowSums, false, false, 1.0, 0.0);
            rowSums.reshape('c', images, channels).sum(sum, 0);
        } else {
            int[] axes = new int[input.rank() - 1];
            axes[0] = 0;
            for (int axis = 2; axis < input.rank(); axis++) {
                axes[axis - 1] = axis;
            }
            Nd4j.exec(DynamicCustomOp.builder("reduce_sum").addInputs(input).addOutputs(sum)
                    .addIntegerArguments(axes).build());
            sum.muli(scale);
        }
    }

    /** {@code output = gamma * (input - mean) / sqrt(variance + eps) + beta}, per channel. */
    static void batchNorm(INDArray input, INDArray mean, INDArray variance, INDArray gamma, INDArray beta, double eps,
                          INDArray output) {
        Nd4j.exec(DynamicCustomOp.builder("batchnorm")
                .addInputs(input, mean, variance, gamma, beta)
                .addOutputs(output)
                .addIntegerArguments(1, 1, CHANNEL_AXIS)
                .addFloatingPointArguments(eps)
                .build());
    }

    /**
     * The training-mode gradients of {@link #batchNorm} with the batch's own {@code mean} and biased {@code variance}
     * (the statistics' own gradients folded in), by the formula of PyTorch's CPU kernel: with
     * {@code s = 1 / sqrt(variance + eps)}, {@code x = (input - mean) * s} and {@code M} values per channel,
     * {@code betaGradient = sum(g)}, {@code gammaGradient = sum(g * x)} and
     * {@code inputGradient = gamma * s * (g - (betaGradient + x * gammaGradient) / M)}, {@code g} the
     * {@code outputGradient}. Eight element-wise passes with per-channel factors broadcast as {@code [1, C, 1, 1]}
     * and two {@link #channelSum}s: at 8 x 64 x 256 x 256 in FLOAT 63 ms, where libnd4j's {@code batchnorm_bp}
     * takes 322 ms, 18x its forward op. {@code scratch}, of the input's shape, takes {@code g * x}: the input itself
     * when no one reads it afterwards.
     */
    static void batchNormBackprop(INDArray input, INDArray mean, INDArray variance, INDArray gamma,
                                  INDArray outputGradient, double eps, INDArray scratch, INDArray inputGradient,
                                  INDArray gammaGradient, INDArray betaGradient) {
        double valuesPerChannel = valuesPerChannel(input);
        INDArray inverseStd = Transforms.pow(variance.add(eps), -0.5, false);
        INDArray normalized = Nd4j.exec(new SubOp(input, perChannel(mean), inputGradient))[0]
                .muli(perChannel(inverseStd));
        channelSum(outputGradient, 1.0, betaGradient);
        channelSum(Nd4j.exec(new MulOp(normalized, outputGradient, scratch))[0], 1.0, gammaGradient);
        normalized.muli(perChannel(gammaGradient.mul(-1.0 / valuesPerChannel)))
                .addi(perChannel(betaGradient.mul(-1.0 / valuesPerChannel)))
                .addi(outputGradient)
                .muli(perChannel(inverseStd.muli(gamma)));
    }

    /**
     * The gradients of {@link #batchNorm} with {@code mean} and {@code variance} held fixed (the running statistics
     * of an inference-mode forward pass), where it is the affine map {@code gamma * (input - mean) * s + beta} with
     * {@code s = 1 / sqrt(variance + eps)}: {@code inputGradient = outputGradient * gamma * s}; {@code gammaGradient}
     * and {@code betaGradient} the per-channel sums of {@code outputGradient * (input - mean) * s} and of
     * {@code outputGradient}. Overwrites {@code input} and the {@code [C]} array {@code scratch}.
     */
    static void fixedStatisticsBatchNormBackprop(INDArray input, INDArray mean, INDArray variance, INDArray gamma,
                                                 INDArray outputGradient, double eps, INDArray scratch,
                                                 INDArray inputGradient, INDArray gammaGradient,
                                                 INDArray betaGradient) {
        INDArray inverseStd = Transforms.pow(scratch.assign(variance).addi(eps), -0.5, false);
        input.subi(perChannel(mean)).muli(perChannel(inverseStd));
        channelSum(outputGradient, 1.0, betaGradient);
        channelSum(input.muli(outputGradient), 1.0, gammaGradient);
        Nd4j.exec(new MulOp(outputGradient, perChannel(inverseStd.muli(gamma)), inputGradient));
    }

    /** The values each channel of an NCHW array holds: {@code N * H * W}, the batch norm's sample count. */
    static long valuesPerChannel(INDArray input) {
        return input.length() / input.size(CHANNEL_AXIS);
    }

    /**
     * A {@code [C]} vector (or {@code [1, C]}) as {@code [1, C, 1, 1]}, which ND4J's arithmetic broadcasts over an
     * NCHW array by libnd4j's broadcasting ops: 40x faster than its legacy {@code BroadcastMulOp} along axis 1
     * (5 ms against 208 ms at 8 x 64 x 256 x 256 in FLOAT).
     */
    private static INDArray perChannel(INDArray vector) {
        return vector.reshape(1, vector.length(), 1, 1);
    }
}
