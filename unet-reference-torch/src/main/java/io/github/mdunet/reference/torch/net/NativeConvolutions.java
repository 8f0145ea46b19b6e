package io.github.mdunet.reference.torch.net;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * Runs libtorch's convolutions on its native kernels, not oneDNN's (mkldnn), and checks their gradients. On a 2-core
 * AMD EPYC with AVX2 and no AVX-512, libtorch 2.10's oneDNN float32 convolution returned wrong input and weight
 * gradients for 3x3 convolutions of 4 and 8 channels: off by about the gradient's own size, now and then NaN, and
 * different from call to call (right on some calls, so no check at start-up can clear it); its native kernels were
 * right on every call. A reference with wrong gradients would make every parity check meaningless, so the reference
 * never uses oneDNN's convolutions.
 *
 * <p>The check: 3x3 "same" convolutions of {@code [2, C, 8, 8]} for C = 4, 8 and 16, whose float32 input and
 * weight gradients must equal the float64 ones within {@link #TOLERANCE} of their largest magnitude.
 */
public final class NativeConvolutions {

    /** The largest difference allowed, relative to the float64 gradient's largest magnitude. */
    public static final double TOLERANCE = 1e-4;

    private static final int[] CHANNELS = {4, 8, 16};

    private NativeConvolutions() {
    }

    /**
     * Switches oneDNN off for the whole process and checks the native kernels' gradients.
     *
     * @throws IllegalStateException when they differ from float64's
     */
    public static void use() {
        torch.globalContext().setUserEnabledMkldnn(false);
        double error = worstRelativeError();
        if (!(error <= TOLERANCE)) {
            throw new IllegalStateException("libtorch's native float32 convolution gradients differ from float64's"
                    + " by " + error + " (relative to the largest) on this machine; the reference cannot be trusted"
                    + " here");
        }
    }

    /**
     * The worst relative error of the float32 input and weight gradients over the checked shapes, with the kernels
     * libtorch runs now (NaN counts as infinite).
     */
    static double worstRelativeError() {
        double worst = 0;
        for (int channels : CHANNELS) {
            float[][] float32 = gradients(channels, torch.ScalarType.Float);
            float[][] float64 = gradients(channels, torch.ScalarType.Double);
            for (int tensor = 0; tensor < float64.length; tensor++) {
                worst = Math.max(worst, relativeError(float32[tensor], float64[tensor]));
            }
        }
        return worst;
    }

    /** The largest difference relative to the exact values' largest magnitude; infinite when one is NaN. */
    private static double relativeError(float[] values, float[] exact) {
        double scale = 0;
        double difference = 0;
        for (int i = 0; i < exact.length; i++) {
            scale = Math.max(scale, Math.abs(exact[i]));
            double d = Math.abs(values[i] - exact[i]);
            difference = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(difference, d);
        }
        return difference / scale;
    }

    /** The input gradient and the weight gradient of {@code sum(conv(x, w) * g)} computed in {@code type}. */
    private static float[][] gradients(int channels, torch.ScalarType type) {
        try (PointerScope scope = new PointerScope()) {
            Tensor x = seeded(1, 2, channels, 8, 8).to(type);
            Tensor w = seeded(2, channels, channels, 3, 3).to(type);
            Tensor g = seeded(3, 2, channels, 8, 8).to(type);
            x.set_requires_grad(true);
            w.set_requires_grad(true);
            torch.conv2d(x, w, new TensorOptional(), new long[] {1, 1}, new long[] {1, 1}, new long[] {1, 1}, 1)
                    .mul(g).sum().backward();
            return new float[][] {Tensors.toFloats(x.grad()), Tensors.toFloats(w.grad())};
        }
    }

    /** Values in [-1, 1) from a fixed linear congruential sequence, as a float32 tensor. */
    private static Tensor seeded(long seed, long... shape) {
        int count = 1;
        for (long dim : shape) {
            count *= (int) dim;
        }
        float[] values = new float[count];
        long state = seed;
        for (int i = 0; i < count; i++) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            values[i] = (float) ((state >>> 40) / (double) (1L << 24) * 2 - 1);
        }
        return Tensors.floats(shape, values);
    }
}
