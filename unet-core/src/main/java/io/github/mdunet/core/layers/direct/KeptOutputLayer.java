package io.github.mdunet.core.layers.direct;

import java.util.Arrays;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime base of the direct layers with parameters that keep their output for the backward pass: an NCHW input of
 * {@code nIn} channels checked, the output of the last forward pass kept (the backward pass may write over it: every
 * consumer of the output has done its own backward pass by then), and the running statistics of a batch norm, if any
 * ({@link BatchStatistics#isRunningStatistic}), moved by their own step, which the updater must not divide by the
 * mini-batch.
 *
 * @param <C> the configuration class
 */
abstract class KeptOutputLayer<C extends FeedForwardLayer & DirectLayerConfiguration> extends BaseLayer<C> {

    /** The layer's output of the last forward pass, for backprop; null after backprop or {@link #clear()}. */
    private INDArray output;

    KeptOutputLayer(NeuralNetConfiguration conf, DataType dataType) {
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

    /** Keeps {@code y}, this forward pass's output, for the backward pass; returns it. */
    INDArray keepOutput(INDArray y) {
        output = y;
        return y;
    }

    /** Forgets the last forward pass's output (a forward pass starts, or an inference one keeps none). */
    void forgetOutput() {
        output = null;
    }

    /**
     * The output kept by the last forward pass, released here, after checking {@code epsilon}, its gradient.
     *
     * @throws IllegalStateException naming the layer without a forward pass or when {@code epsilon}'s shape is not
     *                               the output's
     */
    INDArray takeOutputForBackward(INDArray epsilon) {
        if (output == null) {
            throw new IllegalStateException(layerConf().describe() + ": backpropGradient needs a forward pass"
                    + " (activate) first");
        }
        if (!Arrays.equals(epsilon.shape(), output.shape())) {
            throw new IllegalStateException(layerConf().describe() + ": epsilon has shape "
                    + Arrays.toString(epsilon.shape()) + " but the output had " + Arrays.toString(output.shape()));
        }
        INDArray kept = output;
        output = null;
        return kept;
    }

    /** {@code epsilon} in the layer's data type. */
    INDArray inDataType(INDArray epsilon) {
        return epsilon.dataType() == dataType ? epsilon : epsilon.castTo(dataType);
    }

    /** The running statistics move by their own step, which the updater must not divide by the mini-batch. */
    @Override
    public boolean updaterDivideByMinibatch(String paramName) {
        return !BatchStatistics.isRunningStatistic(paramName);
    }

    @Override
    public void clear() {
        super.clear();
        output = null;
    }
}
