package io.github.mdunet.core.layers.direct;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime side of {@link DirectBatchNorm}.
 *
 * <p>Training forward: the batch's mean and variance of {@code x}, {@code y = batchnorm(x)} into the activations
 * workspace. Backward: the batch norm's gradients with the output as the working array, the running statistics' steps
 * into their gradient views. Inference: {@code y = batchnorm(x)} with the running statistics. Backward after an
 * inference forward pass: the affine map of the running statistics differentiated, on a copy of {@code x} made in the
 * output; the running statistics take zero steps.
 */
final class DirectBatchNormLayer extends KeptOutputLayer<DirectBatchNorm> {

    private static final String GAMMA = BatchNormalizationParamInitializer.GAMMA;
    private static final String BETA = BatchNormalizationParamInitializer.BETA;
    private static final String MEAN = BatchNormalizationParamInitializer.GLOBAL_MEAN;
    private static final String VARIANCE = BatchNormalizationParamInitializer.GLOBAL_VAR;

    /** Whether the last forward pass normalised with the batch's statistics (training) or the running ones. */
    private boolean batchNormalized;
    private final BatchStatistics batchStatistics = new BatchStatistics();

    DirectBatchNormLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    INDArray forward(INDArray x, boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, x.shape(), 'c');
        if (training) {
            batchStatistics.measure(x);
            NativeOps.batchNorm(x, batchStatistics.mean(), batchStatistics.variance(), getParam(GAMMA),
                    getParam(BETA), layerConf().getEps(), y);
        } else {
            NativeOps.batchNorm(x, getParam(MEAN), getParam(VARIANCE), getParam(GAMMA), getParam(BETA),
                    layerConf().getEps(), y);
        }
        batchNormalized = training;
        return y;
    }

    @Override
    INDArray backward(INDArray x, INDArray output, INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        DirectBatchNorm layer = layerConf();
        INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        // every consumer of the output has done its backward pass: the output is this pass's working array
        if (batchNormalized) {
            NativeOps.batchNormBackprop(x, batchStatistics.mean(), batchStatistics.variance(), getParam(GAMMA),
                    epsilon, layer.getEps(), output, inputGradient, gradientViews.get(GAMMA),
                    gradientViews.get(BETA));
            batchStatistics.runningSteps(getParam(MEAN), getParam(VARIANCE), layer.getDecay(),
                    NativeOps.valuesPerChannel(x), gradientViews.get(MEAN), gradientViews.get(VARIANCE));
        } else {
            INDArray scratch = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
                    new long[] {x.size(1)}, 'c');
            NativeOps.fixedStatisticsBatchNormBackprop(output.assign(x), getParam(MEAN), getParam(VARIANCE),
                    getParam(GAMMA), epsilon, layer.getEps(), scratch, inputGradient, gradientViews.get(GAMMA),
                    gradientViews.get(BETA));
            gradientViews.get(MEAN).assign(0);
            gradientViews.get(VARIANCE).assign(0);
        }
        return inputGradient;
    }
}
