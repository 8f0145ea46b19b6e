package io.github.mdunet.core.layers.direct;

import java.util.Arrays;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime base of the direct layers with parameters that keep their output for the backward pass. It does what their
 * passes share: the input checked (NCHW, {@code nIn} channels) and put in the layer's data type, the configuration's
 * dropout, if any, on the input as DL4J's layers apply it, the output of the last forward pass kept and handed to the
 * backward pass (which may write over it: every consumer of the output has done its own backward pass by then), the
 * gradient of every parameter from its view, and the running statistics of a batch norm, if any
 * ({@link BatchStatistics#isRunningStatistic}), moved by their own step, which the updater must not divide by the
 * mini-batch. A subclass computes {@link #forward} and {@link #backward}.
 *
 * @param <C> the configuration class
 */
abstract class KeptOutputLayer<C extends FeedForwardLayer & DirectLayerConfiguration> extends BaseLayer<C> {

    /** The layer's output of the last forward pass, for backprop; null after backprop or {@link #clear()}. */
    private INDArray output;

    KeptOutputLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /**
     * The output of {@code x} (the checked input, in the layer's data type), in the activations workspace; training
     * or not, the backward pass may follow ({@code FrozenLayerWithBackprop} runs its layer in inference mode).
     */
    abstract INDArray forward(INDArray x, boolean training, LayerWorkspaceMgr workspaceMgr);

    /**
     * The gradient of the input {@code x}, with every parameter's gradient written into its view; {@code output} is
     * the last forward pass's (free to overwrite), {@code epsilon} its gradient in the layer's data type.
     */
    abstract INDArray backward(INDArray x, INDArray output, INDArray epsilon, LayerWorkspaceMgr workspaceMgr);

    @Override
    public final INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray x = checkedInput();
        output = null;
        output = forward(x, training, workspaceMgr);
        return output;
    }

    /** @throws IllegalStateException naming the layer without a forward pass or for an epsilon of another shape */
    @Override
    public final Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray kept = takeOutputForBackward(epsilon);
        INDArray inputGradient = backward(checkedInput(), kept,
                epsilon.dataType() == dataType ? epsilon : epsilon.castTo(dataType), workspaceMgr);
        Gradient gradient = new DefaultGradient();
        for (String key : layerConf().initializer().paramKeys(layerConf())) {
            gradient.setGradientFor(key, gradientViews.get(key));
        }
        return new Pair<>(gradient, backpropDropOutIfPresent(inputGradient));
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
    private INDArray checkedInput() {
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

    /** The output kept by the last forward pass, released here, after checking that {@code epsilon} fits it. */
    private INDArray takeOutputForBackward(INDArray epsilon) {
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
