package io.github.mdunet.reference.torch.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A convolution, batch normalisation and an activation as one vertex, as the project's fused blocks compute them:
 * {@code activation(batchnorm(conv2d(x)))} with the semantics of {@link Conv2dVertex} and {@link BatchNormVertex}.
 * Input [N, inChannels, H, W], output [N, outChannels, H', W'] as the convolution's. Parameters under the one vertex
 * name: W [out, in, k, k], b [out] when the convolution has a bias, then gamma, beta, mean and var [out].
 *
 * @param conv       the convolution, named as this vertex and reading its input
 * @param norm       the batch norm, named as this vertex and reading it (the convolution's output)
 * @param activation applied to the normalised output
 */
public record ConvBnActVertex(Conv2dVertex conv, BatchNormVertex norm, Activation activation)
        implements SingleInputVertex {

    public static final String TYPE = "conv_bn_act";

    public ConvBnActVertex {
        Objects.requireNonNull(conv, "conv");
        Objects.requireNonNull(norm, "norm");
        Objects.requireNonNull(activation, "activation");
        if (!norm.name().equals(conv.name()) || !norm.input().equals(conv.name())) {
            throw new IllegalArgumentException(Checks.where(conv.name(), TYPE) + ": the batch norm must carry the"
                    + " vertex's name and read it, but is '" + norm.name() + "' reading '" + norm.input() + "'");
        }
        if (norm.channels() != conv.outChannels()) {
            throw new IllegalArgumentException(Checks.where(conv.name(), TYPE) + ": outChannels is "
                    + conv.outChannels() + " but the batch norm has " + norm.channels() + " channels");
        }
    }

    @Override
    public String name() {
        return conv.name();
    }

    @Override
    public String input() {
        return conv.input();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<ParameterSpec> parameters() {
        List<ParameterSpec> all = new ArrayList<>(conv.parameters());
        all.addAll(norm.parameters());
        return List.copyOf(all);
    }

    @Override
    public ImageShape outputShape(List<ImageShape> inputShapes) {
        try {
            return conv.outputShape(inputShapes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace(conv.describe(), describe()), e);
        }
    }
}
