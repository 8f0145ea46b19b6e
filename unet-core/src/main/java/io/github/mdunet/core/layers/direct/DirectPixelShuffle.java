package io.github.mdunet.core.layers.direct;

import io.github.mdunet.core.layers.LayerSetting;
import io.github.mdunet.core.layers.PixelShuffle;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * PyTorch's {@code nn.PixelShuffle} without SameDiff: {@code [N, C*r*r, H, W] -> [N, C, H*r, W*r]}, input channel
 * {@code c*r*r + i*r + j} going to {@code out[c, h*r + i, w*r + j]} (not TensorFlow's depth-to-space order). A copy
 * each way ({@link SubPixelLayout}): the backward pass is the inverse permutation. No parameters; any batch and spatial
 * size.
 */
public class DirectPixelShuffle extends ParameterlessConfiguration {

    /** r, at least 2. */
    @JsonProperty
    private int upscaleFactor = 2;

    /** For Jackson; upscale factor 2. */
    public DirectPixelShuffle() {
    }

    /** @param upscaleFactor r, at least 2 */
    public DirectPixelShuffle(int upscaleFactor) {
        this.upscaleFactor = upscaleFactor;
        checkSettings();
    }

    @Override
    void checkSettings() {
        PixelShuffle.requireUpscaleFactor(upscaleFactor);
    }

    @Override
    ParameterlessLayer<?> createRuntime(NeuralNetConfiguration conf, DataType dataType) {
        return new Runtime(conf, dataType);
    }

    private long outputChannels(long inputChannels) {
        return PixelShuffle.outputChannels(describe(), inputChannels, upscaleFactor);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return PixelShuffle.outputType(describe(), convolutionalInput(inputType), upscaleFactor);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        outputChannels(convolutionalInput(inputType).getChannels());
    }

    public int getUpscaleFactor() {
        return upscaleFactor;
    }

    @Override
    List<LayerSetting> settings() {
        return List.of(new LayerSetting("upscaleFactor", upscaleFactor));
    }

    private static final class Runtime extends ParameterlessLayer<DirectPixelShuffle> {

        Runtime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        INDArray forward(INDArray x, LayerWorkspaceMgr workspaceMgr) {
            int r = layerConf().getUpscaleFactor();
            INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                    new long[] {x.size(0), layerConf().outputChannels(x.size(1)), x.size(2) * r, x.size(3) * r}, 'c');
            SubPixelLayout.shuffle(x, output, r);
            return output;
        }

        @Override
        INDArray backward(INDArray gradient, long[] inputShape, LayerWorkspaceMgr workspaceMgr) {
            INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, inputShape,
                    'c');
            SubPixelLayout.unshuffle(gradient, inputGradient, layerConf().getUpscaleFactor());
            return inputGradient;
        }
    }
}
