package io.github.mdunet.reference.torch.spec;

import java.util.List;
import java.util.Objects;

/**
 * 2-D convolution. Input [N, inChannels, H, W], output [N, outChannels, H', W'] with
 * H' = floor((H + 2p - kernel) / stride) + 1 and p from {@link Padding}. Weights W [out, in, k, k] (OIHW),
 * bias b [out] when {@code bias}.
 */
public record Conv2dVertex(String name, String input, int inChannels, int outChannels, int kernel, int stride,
        Padding padding, boolean bias, InitScheme init) implements SingleInputVertex {

    public static final String TYPE = "conv2d";

    public Conv2dVertex {
        String where = Checks.singleInput(TYPE, name, input);
        Objects.requireNonNull(padding, "padding");
        Checks.convolution(where, inChannels, outChannels, init);
        Checks.window(where, kernel, stride);
        if (padding == Padding.SAME && kernel % 2 == 0) {
            throw new IllegalArgumentException(where + ": 'same' padding needs an odd kernel but kernel was " + kernel);
        }
        if (init == InitScheme.ICNR_HE_NORMAL) {
            throw new IllegalArgumentException(where + ": init icnr_he_normal applies to pixelshuffle_conv only;"
                    + " use he_normal or xavier_normal");
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return ParameterSpec.convolution(name, outChannels, inChannels, kernel, bias);
    }

    @Override
    public ImageShape outputShape(List<ImageShape> inputShapes) {
        ImageShape in = Checks.singleWithChannels(this, "inChannels", inChannels, inputShapes);
        return Checks.windowOutput(this, in, outChannels, kernel, stride, padding.perSide(kernel));
    }
}
