package io.github.mdunet.reference.torch.spec;

import java.util.List;

/**
 * Batch normalisation over (N, H, W) per channel, PyTorch semantics: in training, batch statistics normalise and
 * the running statistics update as running = (1 - momentum) * running + momentum * batch, with the unbiased batch
 * variance; in evaluation the running statistics normalise. Input and output [N, channels, H, W].
 * Parameters gamma (ones), beta (zeros); buffers mean (zeros), var (ones); all [channels].
 */
public record BatchNormVertex(String name, String input, int channels, double eps, double momentum)
        implements SingleInputVertex {

    public static final String TYPE = "batchnorm";

    public BatchNormVertex {
        String where = Checks.singleInput(TYPE, name, input);
        Checks.positive(where, "channels", channels);
        if (!(eps > 0)) {
            throw new IllegalArgumentException(where + ": eps must be > 0 but was " + eps);
        }
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(where + ": momentum must be in [0, 1] (PyTorch's meaning: the weight"
                    + " of the batch statistic) but was " + momentum);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<ParameterSpec> parameters() {
        long[] shape = {channels};
        return List.of(new ParameterSpec(name, ParameterRole.BN_SCALE, shape),
                new ParameterSpec(name, ParameterRole.BN_SHIFT, shape),
                new ParameterSpec(name, ParameterRole.BN_RUNNING_MEAN, shape),
                new ParameterSpec(name, ParameterRole.BN_RUNNING_VAR, shape));
    }

    @Override
    public ImageShape outputShape(List<ImageShape> inputShapes) {
        return Checks.singleWithChannels(this, "channels", channels, inputShapes);
    }
}
