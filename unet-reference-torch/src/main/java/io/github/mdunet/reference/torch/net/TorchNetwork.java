package io.github.mdunet.reference.torch.net;

import io.github.mdunet.reference.torch.npy.NpyArray;
import io.github.mdunet.reference.torch.spec.Activation;
import io.github.mdunet.reference.torch.spec.ActivationVertex;
import io.github.mdunet.reference.torch.spec.BatchNormVertex;
import io.github.mdunet.reference.torch.spec.BlurVertex;
import io.github.mdunet.reference.torch.spec.ConcatVertex;
import io.github.mdunet.reference.torch.spec.Conv2dVertex;
import io.github.mdunet.reference.torch.spec.ConvBnActVertex;
import io.github.mdunet.reference.torch.spec.ImageShape;
import io.github.mdunet.reference.torch.spec.InitScheme;
import io.github.mdunet.reference.torch.spec.MaxPoolVertex;
import io.github.mdunet.reference.torch.spec.NetworkSpec;
import io.github.mdunet.reference.torch.spec.Padding;
import io.github.mdunet.reference.torch.spec.ParameterRole;
import io.github.mdunet.reference.torch.spec.ParameterSpec;
import io.github.mdunet.reference.torch.spec.PixelShuffleConvVertex;
import io.github.mdunet.reference.torch.spec.ResizeBilinearVertex;
import io.github.mdunet.reference.torch.spec.SoftmaxCrossEntropyVertex;
import io.github.mdunet.reference.torch.spec.VertexSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * A {@link NetworkSpec} evaluated with libtorch's functional ops. The parameters are plain leaf tensors with
 * requires_grad, keyed {@code <vertex>.<param>} as in the .npz files; BatchNorm running statistics are tensors
 * without grad that {@code torch.batch_norm} updates in place in {@link Mode#TRAIN}.
 * <p>
 * Tensor contract: {@link #logits} takes x [N, C, H, W] float32 (already normalised) and returns the logits
 * [N, classes, H', W'] that feed the loss vertex; {@link #loss} takes those and int64 class ids [N, H', W'].
 * <p>
 * Its tensors outlive any {@code PointerScope} open while it is created (see {@link Tensors#keep}).
 */
public final class TorchNetwork {

    private final NetworkSpec spec;
    private final Map<String, ParameterSpec> parameterSpecs = new LinkedHashMap<>();
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    private TorchNetwork(NetworkSpec spec) {
        this.spec = spec;
        TensorOptions float32 = new TensorOptions(torch.ScalarType.Float);
        for (ParameterSpec parameter : spec.parameters()) {
            Tensor tensor = torch.zeros(parameter.shape(), float32);
            if (parameter.role().startValue() != 0) {
                tensor.fill_(new Scalar(parameter.role().startValue()));
            }
            if (parameter.trainable()) {
                tensor.set_requires_grad(true);
            }
            parameterSpecs.put(parameter.key(), parameter);
            tensors.put(parameter.key(), Tensors.keep(tensor));
        }
    }

    /** A network with zero weights and biases, BatchNorm gamma 1, beta 0, running mean 0 and var 1. */
    public static TorchNetwork create(NetworkSpec spec) {
        return new TorchNetwork(spec);
    }

    public NetworkSpec spec() {
        return spec;
    }

    /**
     * Draws every weight with its vertex's {@link InitScheme} from the generator, in vertex order; every other
     * tensor (biases, BatchNorm gamma, beta and running statistics) is reset to its role's start value.
     */
    public void initialize(Generator generator) {
        GeneratorOptional source = new GeneratorOptional(generator);
        TensorOptions float32 = new TensorOptions(torch.ScalarType.Float);
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (VertexSpec vertex : spec.vertices()) {
                Conv2dVertex conv = vertex instanceof ConvBnActVertex fused ? fused.conv()
                        : vertex instanceof Conv2dVertex plain ? plain : null;
                if (conv != null) {
                    tensor(conv.name(), ParameterRole.WEIGHT).copy_(draw(conv.init(), conv.outChannels(),
                            conv.inChannels(), conv.kernel(), 1, source, float32));
                } else if (vertex instanceof PixelShuffleConvVertex shuffle) {
                    tensor(shuffle.name(), ParameterRole.WEIGHT).copy_(draw(shuffle.init(), shuffle.outChannels(),
                            shuffle.inChannels(), shuffle.kernel(), shuffle.factor(), source, float32));
                }
                for (ParameterSpec parameter : vertex.parameters()) {
                    if (parameter.role() != ParameterRole.WEIGHT) {
                        tensor(parameter.key()).fill_(new Scalar(parameter.role().startValue()));
                    }
                }
            }
        }
    }

    /**
     * Weights [out * factor^2, in, k, k] by the scheme. For ICNR the he_normal base kernel [out, in, k, k] is
     * repeated so that W[c * r * r + s] = base[c]; for the plain schemes with factor > 1 the whole kernel is drawn.
     */
    private static Tensor draw(InitScheme scheme, int out, int in, int kernel, int factor, GeneratorOptional source,
            TensorOptions float32) {
        int subPixels = factor * factor;
        double fanIn = (double) in * kernel * kernel;
        double fanOut = (double) out * subPixels * kernel * kernel;
        return switch (scheme) {
            case HE_NORMAL -> torch.normal(0.0, Math.sqrt(2.0 / fanIn),
                    new long[] {(long) out * subPixels, in, kernel, kernel}, source, float32);
            case XAVIER_NORMAL -> torch.normal(0.0, Math.sqrt(2.0 / (fanIn + fanOut)),
                    new long[] {(long) out * subPixels, in, kernel, kernel}, source, float32);
            case ICNR_HE_NORMAL -> torch.normal(0.0, Math.sqrt(2.0 / fanIn), new long[] {out, in, kernel, kernel},
                            source, float32)
                    .unsqueeze(1)
                    .expand(out, subPixels, in, kernel, kernel)
                    .reshape(out * subPixels, in, kernel, kernel);
        };
    }

    /**
     * Replaces every parameter and buffer with the arrays of the same key.
     *
     * @throws IllegalArgumentException listing missing keys, unknown keys or the first shape mismatch
     */
    public void load(Map<String, NpyArray> arrays) {
        List<String> missing = new ArrayList<>();
        for (String key : tensors.keySet()) {
            if (!arrays.containsKey(key)) {
                missing.add(key);
            }
        }
        List<String> unknown = new ArrayList<>(new TreeSet<>(arrays.keySet()));
        unknown.removeAll(tensors.keySet());
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            throw new IllegalArgumentException("the parameter file does not match the network: missing " + missing
                    + ", not in the network " + unknown + "; the network's keys are " + tensors.keySet());
        }
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
                NpyArray array = arrays.get(entry.getKey());
                long[] expected = parameterSpecs.get(entry.getKey()).shape();
                if (!Arrays.equals(array.shape(), expected)) {
                    throw new IllegalArgumentException("parameter '" + entry.getKey() + "' has shape "
                            + Arrays.toString(array.shape()) + " in the file but the network needs "
                            + Arrays.toString(expected));
                }
                entry.getValue().copy_(Tensors.fromNpy(array));
            }
        }
    }

    /** Every parameter and buffer as float32 arrays, keyed {@code <vertex>.<param>}, in vertex order. */
    public Map<String, NpyArray> export() {
        Map<String, NpyArray> out = new LinkedHashMap<>();
        tensors.forEach((key, tensor) -> out.put(key, Tensors.toNpy(tensor)));
        return out;
    }

    /** The trainable parameters (no BatchNorm running statistics), in vertex order. */
    public Map<String, Tensor> trainable() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((key, tensor) -> {
            if (parameterSpecs.get(key).trainable()) {
                out.put(key, tensor);
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /** The tensor of one parameter or buffer. */
    public Tensor tensor(String key) {
        Tensor tensor = tensors.get(key);
        if (tensor == null) {
            throw new IllegalArgumentException("no parameter '" + key + "'; the keys are " + tensors.keySet());
        }
        return tensor;
    }

    private Tensor tensor(String vertex, ParameterRole role) {
        return tensor(vertex + "." + role.keyName());
    }

    /** The logits [N, classes, H, W] for a normalised batch x [N, C, H, W]. */
    public Tensor logits(Tensor x, Mode mode) {
        return forwardAll(x, mode).get(spec.lossVertex().input());
    }

    /**
     * The output of every vertex up to the logits (the loss vertex itself is left out), keyed by vertex name, the
     * input first.
     *
     * @throws IllegalArgumentException when x does not have the input shape [N, C, H, W]
     */
    public Map<String, Tensor> forwardAll(Tensor x, Mode mode) {
        ImageShape inputShape = spec.input().shape();
        long[] actual = Tensors.shape(x);
        if (actual.length != 4 || actual[1] != inputShape.channels() || actual[2] != inputShape.height()
                || actual[3] != inputShape.width()) {
            throw new IllegalArgumentException("the network input '" + spec.input().name() + "' needs [N, "
                    + inputShape.channels() + ", " + inputShape.height() + ", " + inputShape.width() + "] but got "
                    + Arrays.toString(actual));
        }
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        outputs.put(spec.input().name(), x);
        for (VertexSpec vertex : spec.vertices()) {
            if (vertex instanceof SoftmaxCrossEntropyVertex) {
                continue;
            }
            List<Tensor> inputs = vertex.inputs().stream().map(outputs::get).toList();
            outputs.put(vertex.name(), apply(vertex, inputs, mode));
        }
        return outputs;
    }

    /** Mean softmax cross-entropy over all pixels of the batch; labels int64 [N, H, W]. */
    public Tensor loss(Tensor logits, Tensor labels) {
        return torch.cross_entropy_loss(logits, labels);
    }

    private Tensor apply(VertexSpec vertex, List<Tensor> inputs, Mode mode) {
        Tensor x = inputs.get(0);
        if (vertex instanceof Conv2dVertex conv) {
            return conv2d(x, tensor(conv.name(), ParameterRole.WEIGHT),
                    conv.bias() ? tensor(conv.name(), ParameterRole.BIAS) : null, conv.stride(),
                    conv.padding().perSide(conv.kernel()));
        }
        if (vertex instanceof BatchNormVertex norm) {
            return torch.batch_norm(x, new TensorOptional(tensor(norm.name(), ParameterRole.BN_SCALE)),
                    new TensorOptional(tensor(norm.name(), ParameterRole.BN_SHIFT)),
                    new TensorOptional(tensor(norm.name(), ParameterRole.BN_RUNNING_MEAN)),
                    new TensorOptional(tensor(norm.name(), ParameterRole.BN_RUNNING_VAR)), mode == Mode.TRAIN,
                    norm.momentum(), norm.eps(), false);
        }
        if (vertex instanceof ActivationVertex activation) {
            return activate(x, activation.function());
        }
        if (vertex instanceof ConvBnActVertex fused) {
            Tensor conv = apply(fused.conv(), inputs, mode);
            return activate(apply(fused.norm(), List.of(conv), mode), fused.activation());
        }
        if (vertex instanceof BlurVertex) {
            return blur(x);
        }
        if (vertex instanceof MaxPoolVertex pool) {
            return torch.max_pool2d(x, new long[] {pool.kernel(), pool.kernel()},
                    new long[] {pool.stride(), pool.stride()}, new long[] {0, 0}, new long[] {1, 1}, false);
        }
        if (vertex instanceof PixelShuffleConvVertex shuffle) {
            Tensor conv = conv2d(x, tensor(shuffle.name(), ParameterRole.WEIGHT),
                    tensor(shuffle.name(), ParameterRole.BIAS), 1, Padding.SAME.perSide(shuffle.kernel()));
            Tensor shuffled = torch.pixel_shuffle(activate(conv, shuffle.activation()), shuffle.factor());
            return shuffle.blur() ? blur(shuffled) : shuffled;
        }
        if (vertex instanceof ConcatVertex concat) {
            return activate(torch.cat(new TensorVector(inputs.toArray(new Tensor[0])), 1), concat.activation());
        }
        if (vertex instanceof ResizeBilinearVertex resize) {
            return torch.upsample_bilinear2d(x, new long[] {resize.height(), resize.width()}, false);
        }
        throw new IllegalStateException(vertex.describe() + ": no libtorch implementation for this vertex type");
    }

    private static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return torch.conv2d(x, weight, bias == null ? new TensorOptional() : new TensorOptional(bias),
                new long[] {stride, stride}, new long[] {padding, padding}, new long[] {1, 1}, 1);
    }

    /** Replication pad of 1 at top and left, then a 2 x 2 average with stride 1: same size, smoothed. */
    private static Tensor blur(Tensor x) {
        Tensor padded = torch.replication_pad2d(x, 1, 0, 1, 0);
        return torch.avg_pool2d(padded, new long[] {2, 2}, new long[] {1, 1}, new long[] {0, 0}, false, true,
                new LongOptional());
    }

    private static Tensor activate(Tensor x, Activation function) {
        return switch (function) {
            case RELU -> torch.relu(x);
            case IDENTITY -> x;
            case SIGMOID -> torch.sigmoid(x);
            case TANH -> torch.tanh(x);
        };
    }
}
