package io.github.mdunet.core.layers.direct;

import io.github.mdunet.core.layers.LayerSetting;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A concatenation along channels and its activation in one graph vertex: {@code y = act(concat(x1, ..., xk))} for NCHW
 * inputs {@code [N, C_i, H, W]} of the same {@code N, H, W}, output {@code [N, sum C_i, H, W]}, as a U-Net decoder
 * joins its upsampled map and its skip ({@code relu(torch.cat([up, bn(skip)], 1))} in fastai's {@code UnetBlock}).
 * It replaces DL4J's {@code MergeVertex} and the {@code ActivationLayer} after it, which keep two arrays of the
 * concatenation's size for the backward pass where this vertex keeps one, its output: the activation's gradient is
 * taken from the output (identity, ReLU or leaky ReLU with alpha > 0, as {@link ConvNormActivation}), and each
 * input's gradient is written straight from the output gradient's channel range.
 */
public class ConcatActivation extends ActivatedJoin {

    /** For Jackson; ReLU. */
    public ConcatActivation() {
    }

    /** @param activation identity, ReLU or leaky ReLU with alpha > 0 */
    public ConcatActivation(IActivation activation) {
        super(activation);
    }

    @Override
    public ConcatActivation clone() {
        return new ConcatActivation(getActivation());
    }

    @Override
    List<LayerSetting> settings() {
        return List.of(new LayerSetting("activation", getActivation()));
    }

    @Override
    public int maxVertexInputs() {
        return Integer.MAX_VALUE;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        return new ConcatActivationVertex(graph, name, idx, networkDatatype, outputActivation(name));
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
        InputType.InputTypeConvolutional first =
                vertexInputs[0] instanceof InputType.InputTypeConvolutional c ? c : null;
        long channels = 0;
        for (InputType input : vertexInputs) {
            if (first == null || !(input instanceof InputType.InputTypeConvolutional conv)
                    || conv.getHeight() != first.getHeight() || conv.getWidth() != first.getWidth()
                    || conv.getFormat() != first.getFormat()) {
                throw new InvalidInputTypeException("ConcatActivation needs convolutional inputs of the same height,"
                        + " width and format but got " + Arrays.toString(vertexInputs));
            }
            channels += conv.getChannels();
        }
        return InputType.convolutional(first.getHeight(), first.getWidth(), channels, first.getFormat());
    }

    /** No parameters or working memory; the activations are the output. */
    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        return outputOnlyReport(inputTypes[0], getOutputType(-1, inputTypes));
    }
}
