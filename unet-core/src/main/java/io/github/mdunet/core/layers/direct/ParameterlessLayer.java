package io.github.mdunet.core.layers.direct;

import java.util.Arrays;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime base of the direct layers without parameters: a linear map of an NCHW input with a hand-written adjoint.
 * Subclasses write the forward result to the activations workspace and the input gradient to the activation-gradient
 * workspace; nothing is kept between the two passes but the input's shape.
 *
 * @param <C> the configuration class
 */
abstract class ParameterlessLayer<C extends ParameterlessConfiguration> extends AbstractLayer<C> {

    /** The shape of the last forward pass's input, for the backward pass. */
    private long[] inputShape;

    ParameterlessLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** {@code [N, C, H, W] -> output}, into {@code ArrayType.ACTIVATIONS}. */
    abstract INDArray forward(INDArray input, LayerWorkspaceMgr workspaceMgr);

    /** The adjoint of {@link #forward}: output gradient to input gradient, into {@code ArrayType.ACTIVATION_GRAD}. */
    abstract INDArray backward(INDArray outputGradient, long[] inputShape, LayerWorkspaceMgr workspaceMgr);

    /** Layer type and name for messages. */
    String describe() {
        return layerConf().describe();
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray x = input.castTo(dataType);
        if (x.rank() != 4) {
            throw new DL4JInvalidInputException(describe() + " expects a rank 4 NCHW input but got shape "
                    + Arrays.toString(x.shape()) + " " + layerId());
        }
        inputShape = x.shape();
        return forward(x, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray outputGradient = epsilon.dataType() == dataType ? epsilon : epsilon.castTo(dataType);
        return new Pair<>(new DefaultGradient(), backward(outputGradient, inputShape, workspaceMgr));
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
        // no parameters
    }

    @Override
    public INDArray params() {
        return null;
    }

    @Override
    public double calcRegularizationScore(boolean backpropParamsOnly) {
        return 0;
    }
}
