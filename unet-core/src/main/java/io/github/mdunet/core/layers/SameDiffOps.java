package io.github.mdunet.core.layers;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/** SameDiff building blocks shared by the layers of this package: run-time shapes, convolution, activations. */
final class SameDiffOps {

    private SameDiffOps() {
    }

    /**
     * Activations that {@link #activate} maps onto SameDiff exactly as DL4J's own {@code IActivation}s compute
     * them (checked by {@code SameDiffOpsTest}). Not {@code Activation.asSameDiff}: in M2.1 it maps LEAKYRELU to
     * a leaky ReLU with slope 0 (a plain ReLU) while DL4J layers use 0.01.
     */
    static final Set<Activation> SUPPORTED_ACTIVATIONS = Collections.unmodifiableSet(EnumSet.of(Activation.IDENTITY,
            Activation.RELU, Activation.LEAKYRELU, Activation.SIGMOID, Activation.TANH, Activation.ELU,
            Activation.SOFTPLUS, Activation.SOFTSIGN, Activation.HARDTANH, Activation.CUBE, Activation.SWISH,
            Activation.SELU));

    static SDVariable activate(SameDiff sd, SDVariable x, Activation activation) {
        return switch (activation) {
            case IDENTITY -> x;
            case RELU -> sd.nn().relu(x, 0.0);
            case LEAKYRELU -> sd.nn().leakyRelu(x, ActivationLReLU.DEFAULT_ALPHA);
            case SIGMOID -> sd.nn().sigmoid(x);
            case TANH -> sd.math().tanh(x);
            case ELU -> sd.nn().elu(x);
            case SOFTPLUS -> sd.nn().softplus(x);
            case SOFTSIGN -> sd.nn().softsign(x);
            case HARDTANH -> sd.nn().hardTanh(x);
            case CUBE -> sd.math().pow(x, 3.0);
            case SWISH -> x.mul(sd.nn().sigmoid(x));
            case SELU -> sd.nn().selu(x);
            default -> throw new IllegalArgumentException("activation must be one of " + SUPPORTED_ACTIVATIONS
                    + " but was " + activation);
        };
    }

    static void requireSupportedActivation(Activation activation) {
        if (activation == null || !SUPPORTED_ACTIVATIONS.contains(activation)) {
            throw new IllegalArgumentException("activation must be one of " + SUPPORTED_ACTIVATIONS + " but was "
                    + activation);
        }
    }

    /** A constant LONG vector, for building shapes. */
    static SDVariable longs(SameDiff sd, long... values) {
        return sd.constant(Nd4j.createFromArray(values));
    }

    /** {@code x.shape()[from:to]}, evaluated at run time (so any batch and spatial size works). */
    static SDVariable dims(SameDiff sd, SDVariable x, int from, int to) {
        return sd.stridedSlice(x.shape(), new long[] {from}, new long[] {to}, new long[] {1}, 0, 0, 0, 0, 0);
    }

    /**
     * Stride-1 square convolution with weights stored {@code [out, in, k, k]} (OIYX), permuted here to YXIO: the
     * OIYX weight format runs forward but fails in backprop in M2.1. Zero padding {@code (k-1)/2} keeps the
     * spatial size for odd {@code k}.
     *
     * @param bias {@code [out]} or null
     */
    static SDVariable conv2d(SameDiff sd, SDVariable x, SDVariable weightsOiyx, SDVariable bias, int kernelSize) {
        int padding = (kernelSize - 1) / 2;
        Conv2DConfig config = Conv2DConfig.builder()
                .kH(kernelSize).kW(kernelSize)
                .sH(1).sW(1)
                .pH(padding).pW(padding)
                .dH(1).dW(1)
                .paddingMode(PaddingMode.VALID)
                .dataFormat(Conv2DConfig.NCHW)
                .weightsFormat(WeightsFormat.YXIO)
                .build();
        SDVariable weightsYxio = sd.permute(weightsOiyx, 2, 3, 1, 0);
        return bias == null
                ? sd.cnn().conv2d(x, weightsYxio, config)
                : sd.cnn().conv2d(x, weightsYxio, bias, config);
    }
}
