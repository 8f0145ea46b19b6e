package io.github.mdunet.reference.torch.spec;

import java.util.List;
import java.util.Objects;

/**
 * Sub-pixel upsampling: a k x k 'same' convolution with bias from inChannels to outChannels * factor^2 channels,
 * the activation, then PyTorch's pixel_shuffle (input channel c * r * r + i * r + j goes to output channel c at
 * (h * r + i, w * r + j)), then, if {@code blur}, replication padding of 1 at top and left and a 2 x 2 average pool
 * with stride 1. Input [N, inChannels, H, W], output [N, outChannels, H * r, W * r].
 * Parameters W [outChannels * r * r, inChannels, k, k], b [outChannels * r * r].
 */
public record PixelShuffleConvVertex(String name, String input, int inChannels, int outChannels, int factor,
        int kernel, boolean blur, Activation activation, InitScheme init) implements SingleInputVertex {

    public static final String TYPE = "pixelshuffle_conv";

    public PixelShuffleConvVertex {
        String where = Checks.singleInput(TYPE, name, input);
        Objects.requireNonNull(activation, "activation");
        Checks.convolution(where, inChannels, outChannels, init);
        Checks.positive(where, "factor", factor);
        Checks.positive(where, "kernel", kernel);
        if (kernel % 2 == 0) {
            throw new IllegalArgumentException(where + ": the convolution pads 'same', which needs an odd kernel"
                    + " but kernel was " + kernel);
        }
    }

    /** Channels of the convolution before the shuffle: outChannels * factor^2. */
    public int convChannels() {
        return outChannels * factor * factor;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return ParameterSpec.convolution(name, convChannels(), inChannels, kernel, true);
    }

    @Override
    public ImageShape outputShape(List<ImageShape> inputShapes) {
        ImageShape in = Checks.singleWithChannels(this, "inChannels", inChannels, inputShapes);
        return new ImageShape(outChannels, in.height() * factor, in.width() * factor);
    }
}
