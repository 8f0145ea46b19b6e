package io.github.mdunet.core.layers.direct;

import java.util.Arrays;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime base of the direct layers with a batch norm's parameters: an NCHW input of {@code nIn} channels, the output
 * of the last forward pass kept for the backward pass (which may write over it: every consumer of the output has done
 * its own backward pass by then), and the running statistics ({@code mean}, {@code var}) moved by their own step, which
 * the updater must not divide by the mini-batch.
 *
 * @param <C> the configuration class
 */
abstract class NormalizingLayer<C extends FeedForwardLayer & DirectLayerConfiguration> extends BaseLayer<C> {

    /** The layer's output of the last forward pass, for backprop; null after backprop or {@link #clear()}. */
    INDArray output;

    NormalizingLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    /** The input in the layer's data type; a DL4JInvalidInputException unless rank 4 with {@code nIn} channels. */
    INDArray checkedInput() {
        if (input.rank() != 4) {
            throw new DL4JInvalidInputException(layerConf().describe() + " expects a rank 4 NCHW input but got shape "
                    + Arrays.toString(input.shape()) + " " + layerId());
        }
        if (input.size(1) != layerConf().getNIn()) {
            throw new DL4JInvalidInputException(layerConf().describe() + " has nIn " + layerConf().getNIn()
                    + " but the input has " + input.size(1) + " channels (shape " + Arrays.toString(input.shape())
                    + ") " + layerId());
        }
        return input.castTo(dataType);
    }

    /**
     * {@code epsilon}, the gradient of the last forward pass's output, in the layer's data type; an
     * IllegalStateException without a forward pass or when its shape is not the output's.
     */
    INDArray checkedOutputGradient(INDArray epsilon) {
        if (output == null) {
            throw new IllegalStateException(layerConf().describe() + ": backpropGradient needs a forward pass"
                    + " (activate) first");
        }
        if (!Arrays.equals(epsilon.shape(), output.shape())) {
            throw new IllegalStateException(layerConf().describe() + ": epsilon has shape "
                    + Arrays.toString(epsilon.shape()) + " but the output had " + Arrays.toString(output.shape()));
        }
        return epsilon.dataType() == dataType ? epsilon : epsilon.castTo(dataType);
    }

    /** The running statistics move by their own step, which the updater must not divide by the mini-batch. */
    @Override
    public boolean updaterDivideByMinibatch(String paramName) {
        return !BatchNormalizationParamInitializer.GLOBAL_MEAN.equals(paramName)
                && !BatchNormalizationParamInitializer.GLOBAL_VAR.equals(paramName);
    }

    @Override
    public void clear() {
        super.clear();
        output = null;
    }
}
