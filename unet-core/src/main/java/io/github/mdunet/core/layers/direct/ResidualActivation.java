package io.github.mdunet.core.layers.direct;

import io.github.mdunet.core.layers.LayerSetting;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A residual connection's sum and activation in one graph vertex: {@code y = act(a + b)} for two NCHW inputs of the
 * same shape {@code [N, C, H, W]}, as a ResNet bottleneck ends ({@code relu(bn3(conv3(x)) + shortcut(x))}). It
 * replaces DL4J's {@code ElementWiseVertex(Add)} and the {@code ActivationLayer} after it, which keep two arrays of
 * the block's output size for the backward pass where this vertex keeps one: the activation's gradient is taken from
 * the output (identity, ReLU or leaky ReLU with alpha > 0, as {@link ConvNormActivation}).
 *
 * <p>With {@code reuseFirstInput}, training writes {@code y} over the first input, so the sum costs no array at
 * all, as PyTorch's in-place {@code out += identity; relu_(out)}. That is only correct when nothing reads the first
 * input after this vertex: the first input must be a {@link ConvNormActivation} with the identity activation (whose
 * backward pass reads its convolution's output, not its own) that this vertex alone reads; {@code instantiate}
 * checks both and names the vertex when they do not hold. The first input is overwritten only where it lives in the
 * workspace the output would take, as in {@code fit}'s forward pass, which keeps every activation until the backward
 * pass; {@code feedForward} and {@code output} get a new array, so the activations they return are each vertex's own.
 */
public class ResidualActivation extends ActivatedJoin {

    /** Whether training writes the output over the first input (see the class comment). */
    @JsonProperty
    private boolean reuseFirstInput;

    /** For Jackson; ReLU, no reuse. */
    public ResidualActivation() {
    }

    /**
     * @param activation      identity, ReLU or leaky ReLU with alpha > 0
     * @param reuseFirstInput whether training writes the output over the first input (see the class comment)
     */
    public ResidualActivation(IActivation activation, boolean reuseFirstInput) {
        super(activation);
        this.reuseFirstInput = reuseFirstInput;
    }

    @Override
    public ResidualActivation clone() {
        return new ResidualActivation(getActivation(), reuseFirstInput);
    }

    @Override
    List<LayerSetting> settings() {
        return List.of(new LayerSetting("activation", getActivation()),
                new LayerSetting("reuseFirstInput", reuseFirstInput));
    }

    @Override
    public int maxVertexInputs() {
        return 2;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        if (reuseFirstInput) {
            checkFirstInputReusable(graph.getConfiguration(), name);
        }
        return new ResidualActivationVertex(graph, name, idx, networkDatatype, outputActivation(name),
                reuseFirstInput);
    }

    /**
     * @throws IllegalStateException naming {@code name} when its first input is not an identity-activated
     *                               {@link ConvNormActivation} read by this vertex alone
     */
    private static void checkFirstInputReusable(ComputationGraphConfiguration configuration, String name) {
        List<String> inputs = configuration.getVertexInputs().get(name);
        String first = inputs == null || inputs.isEmpty() ? null : inputs.get(0);
        String fix = ": build it with reuseFirstInput = false, or put such a layer first";
        if (first == null) {
            throw new IllegalStateException("ResidualActivation '" + name + "' has no inputs");
        }
        GraphVertex producer = configuration.getVertices().get(first);
        Layer layer = producer instanceof LayerVertex layerVertex ? unwrapped(layerVertex.getLayerConf().getLayer())
                : null;
        if (!(layer instanceof ConvNormActivation block) || !(block.getActivationFn() instanceof ActivationIdentity)) {
            throw new IllegalStateException("ResidualActivation '" + name + "' reuses its first input '" + first
                    + "', which must be a ConvNormActivation with the identity activation but is "
                    + (layer == null ? producer : layer.getClass().getSimpleName()
                    + (layer instanceof ConvNormActivation c ? " with " + c.getActivationFn() : "")) + fix);
        }
        List<String> readers = configuration.getVertexInputs().entrySet().stream()
                .filter(entry -> entry.getValue().contains(first)).map(Map.Entry::getKey).toList();
        if (!readers.equals(List.of(name)) || configuration.getNetworkOutputs().contains(first)) {
            throw new IllegalStateException("ResidualActivation '" + name + "' reuses its first input '" + first
                    + "', which must have no other reader, but is read by " + readers
                    + (configuration.getNetworkOutputs().contains(first) ? " and is a network output" : "") + fix);
        }
    }

    private static Layer unwrapped(Layer layer) {
        if (layer instanceof FrozenLayerWithBackprop frozen) {
            return unwrapped(frozen.getUnderlying());
        }
        if (layer instanceof FrozenLayer frozen) {
            return unwrapped(frozen.getLayer());
        }
        return layer;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
        if (vertexInputs.length != 2 || !Objects.equals(vertexInputs[0], vertexInputs[1])
                || vertexInputs[0].getType() != InputType.Type.CNN) {
            throw new InvalidInputTypeException("ResidualActivation needs two convolutional inputs of the same shape"
                    + " but got " + List.of(vertexInputs));
        }
        return vertexInputs[0];
    }

    /**
     * No parameters or working memory. Activations: the output, except in training with {@code reuseFirstInput},
     * where the output takes the first input's array (reported as 0).
     */
    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        LayerMemoryReport report = outputOnlyReport(inputTypes[0], inputTypes[0]);
        return reuseFirstInput ? new InPlaceMemoryReport(report) : report;
    }
}
