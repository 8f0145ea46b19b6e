package io.github.mdunet.core.layers.direct;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime side of {@link ConvNormActivation}.
 *
 * <p>Training forward: {@code z = conv(x, W) [+ b]} (by the way {@link ConvChoice} picks) into the activations
 * workspace (kept for backprop), the batch's mean and variance, {@code y = act(batchnorm(z))} with the activation in
 * place. Backward: the activation's gradient from {@code y}, the batch norm's on {@code z}, the convolution's
 * gradients by the way {@link ConvChoice} picks (a frozen convolution's weight and bias gradients then set to zero);
 * the running statistics' steps go into their gradient views. Without batch norm, {@code y = act(conv(x, W) + b)} and
 * nothing else is kept. Inference:
 * {@code y = act(batchnorm(conv(x, W) [+ b]))} with the running statistics, the convolution's output in working
 * memory only. With a pixel shuffle, {@code y} is working memory and its shuffled copy the output; backward moves the
 * activation's gradient back into the convolution's layout, one image's sub-pixel at a time.
 *
 * <p>Backward after an inference forward pass (DL4J's {@code FrozenLayerWithBackprop} always runs its layer so):
 * batch norm is then the affine map of the fixed running statistics, differentiated as such
 * ({@link NativeOps#fixedStatisticsBatchNormBackprop}) on {@code z} recomputed from the input, which that forward
 * pass did not keep; the running statistics do not move (zero steps).
 */
final class ConvNormActivationLayer extends KeptOutputLayer<ConvNormActivation> {

    private final OutputActivation activation;
    /** The convolution's output of the last training forward pass (batch norm only); null otherwise. */
    private INDArray convolved;
    private ConvGeometry geometry;
    /** The last training batch's statistics. */
    private final BatchStatistics batchStatistics = new BatchStatistics();
    private ConvChoice convChoice = ConvChoice.of(ConvWays.fromSystemProperty(),
            ConvWorkspace.fromSystemProperty());

    ConvNormActivationLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        ConvNormActivation layer = (ConvNormActivation) conf.getLayer();
        this.activation = OutputActivation.of(layer.getActivationFn(), layer.describe());
    }

    @Override
    INDArray forward(INDArray x, boolean training, LayerWorkspaceMgr workspaceMgr) {
        ConvNormActivation layer = layerConf();
        ConvGeometry shape = ConvGeometry.of(x, layer.getKernelSize(), layer.getStride(), layer.getPadding(),
                layer.getDilation(), layer.getConvolutionMode());
        long[] convolvedShape = shape.outputShape(x.size(0), layer.getNOut());
        boolean shuffled = layer.getPixelShuffle() > 1;
        INDArray weights = getParam(ConvNormActivation.WEIGHT_KEY);
        INDArray bias = layer.isHasBias() ? getParam(ConvNormActivation.BIAS_KEY) : null;
        convolved = null;
        geometry = shape;
        INDArray y = workspaceMgr.createUninitialized(shuffled ? ArrayType.FF_WORKING_MEM : ArrayType.ACTIVATIONS,
                dataType, convolvedShape, 'c');
        if (!layer.isBatchNorm()) {
            convChoice.forward(new Convolution(x, weights, bias, shape), y, ConvScratch.forward(workspaceMgr));
        } else if (training) {
            INDArray z = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, convolvedShape, 'c');
            convChoice.forward(new Convolution(x, weights, bias, shape), z, ConvScratch.forward(workspaceMgr));
            batchStatistics.measure(z);
            NativeOps.batchNorm(z, batchStatistics.mean(), batchStatistics.variance(),
                    getParam(ConvNormActivation.GAMMA_KEY),
                    getParam(ConvNormActivation.BETA_KEY), layer.getEps(), y);
            convolved = z;
        } else {
            // The running statistics on the convolution's output. Folding them into the weights instead costs a
            // broadcast over every weight on every call, which profiled at a third of a ResNet50 U-Net's inference.
            INDArray z = workspaceMgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, convolvedShape, 'c');
            convChoice.forward(new Convolution(x, weights, bias, shape), z, ConvScratch.forward(workspaceMgr));
            NativeOps.batchNorm(z, getParam(ConvNormActivation.MEAN_KEY), getParam(ConvNormActivation.VARIANCE_KEY),
                    getParam(ConvNormActivation.GAMMA_KEY), getParam(ConvNormActivation.BETA_KEY), layer.getEps(), y);
        }
        activation.applyInPlace(y);
        return shuffled ? shuffle(y, layer.getPixelShuffle(), workspaceMgr) : y;
    }

    private INDArray shuffle(INDArray y, int r, LayerWorkspaceMgr workspaceMgr) {
        INDArray shuffled = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                new long[] {y.size(0), y.size(1) / ((long) r * r), y.size(2) * r, y.size(3) * r}, 'c');
        SubPixelLayout.shuffle(y, shuffled, r);
        return shuffled;
    }

    @Override
    INDArray backward(INDArray x, INDArray output, INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        ConvNormActivation layer = layerConf();
        INDArray weights = getParam(ConvNormActivation.WEIGHT_KEY);
        INDArray bias = layer.isHasBias() ? getParam(ConvNormActivation.BIAS_KEY) : null;

        // one working memory for the pass's convolutions: a strided input is copied once
        ConvScratch scratch = ConvScratch.backward(workspaceMgr);
        INDArray preActivationGradient = preActivationGradient(output, epsilon, x.size(0), workspaceMgr);
        INDArray convolutionGradient = preActivationGradient;
        if (layer.isBatchNorm() && convolved == null) {
            convolutionGradient = fixedStatisticsBackprop(x, weights, bias, preActivationGradient, workspaceMgr,
                    scratch);
        } else if (layer.isBatchNorm()) {
            convolutionGradient = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
                    convolved.shape(), 'c');
            // the convolution's output is not needed after this: the batch norm's gradient overwrites it
            NativeOps.batchNormBackprop(convolved, batchStatistics.mean(), batchStatistics.variance(),
                    getParam(ConvNormActivation.GAMMA_KEY), preActivationGradient, layer.getEps(), convolved,
                    convolutionGradient, gradientViews.get(ConvNormActivation.GAMMA_KEY),
                    gradientViews.get(ConvNormActivation.BETA_KEY));
            batchStatistics.runningSteps(getParam(ConvNormActivation.MEAN_KEY),
                    getParam(ConvNormActivation.VARIANCE_KEY), layer.getDecay(),
                    NativeOps.valuesPerChannel(convolved), gradientViews.get(ConvNormActivation.MEAN_KEY),
                    gradientViews.get(ConvNormActivation.VARIANCE_KEY));
        }
        INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        convChoice.backward(new Convolution(x, weights, bias, geometry), convolutionGradient,
                new ConvGradients(inputGradient, gradientViews.get(ConvNormActivation.WEIGHT_KEY),
                        bias == null ? null : gradientViews.get(ConvNormActivation.BIAS_KEY)),
                layer.isConvolutionFrozen(), scratch);
        if (layer.isConvolutionFrozen()) {
            // no step for a frozen convolution: its NoOp updater applies the gradient view as it is (zero, also where
            // the weight gradient was not computed)
            gradientViews.get(ConvNormActivation.WEIGHT_KEY).assign(0);
            if (bias != null) {
                gradientViews.get(ConvNormActivation.BIAS_KEY).assign(0);
            }
        }
        convolved = null;
        return inputGradient;
    }

    /**
     * {@code dL/dz} after an inference forward pass, whose batch norm used the running statistics: those of gamma and
     * beta go into their views, the running statistics get zero steps.
     */
    private INDArray fixedStatisticsBackprop(INDArray x, INDArray weights, INDArray bias,
                                             INDArray preActivationGradient, LayerWorkspaceMgr workspaceMgr,
                                             ConvScratch convolutionScratch) {
        long[] shape = preActivationGradient.shape();
        INDArray z = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, shape, 'c');
        convChoice.forward(new Convolution(x, weights, bias, geometry), z, convolutionScratch);
        INDArray convolutionGradient = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, shape,
                'c');
        INDArray scratch = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
                new long[] {shape[1]}, 'c');
        NativeOps.fixedStatisticsBatchNormBackprop(z, getParam(ConvNormActivation.MEAN_KEY),
                getParam(ConvNormActivation.VARIANCE_KEY), getParam(ConvNormActivation.GAMMA_KEY),
                preActivationGradient, layerConf().getEps(), scratch, convolutionGradient,
                gradientViews.get(ConvNormActivation.GAMMA_KEY), gradientViews.get(ConvNormActivation.BETA_KEY));
        gradientViews.get(ConvNormActivation.MEAN_KEY).assign(0);
        gradientViews.get(ConvNormActivation.VARIANCE_KEY).assign(0);
        return convolutionGradient;
    }

    /**
     * {@code dL/d(pre-activation)} in the convolution's layout: without a pixel shuffle written over the output
     * ({@code epsilon} itself for the identity), with one in a working-memory array.
     */
    private INDArray preActivationGradient(INDArray output, INDArray epsilon, long batch,
                                           LayerWorkspaceMgr workspaceMgr) {
        int r = layerConf().getPixelShuffle();
        if (r == 1) {
            // every consumer of the output has done its backward pass: the activation's gradient overwrites it
            return activation.isIdentity() ? epsilon : activation.backpropOverOutput(output, epsilon);
        }
        INDArray gradient = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
                geometry.outputShape(batch, layerConf().getNOut()), 'c');
        if (activation.isIdentity()) {
            SubPixelLayout.unshuffle(epsilon, gradient, r);
            return gradient;
        }
        // One image's sub-pixel (i, j) at a time: its output and epsilon copied into two small contiguous arrays, the
        // activation's gradient taken there, over the output's copy (libnd4j's activation gradients are slow on
        // strided views), and copied into place.
        long[] chunkShape = {1, output.size(1), output.size(2) / r, output.size(3) / r};
        INDArray outputChunk = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, chunkShape, 'c');
        INDArray gradientChunk = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, chunkShape, 'c');
        for (long image = 0; image < batch; image++) {
            INDArray imageOutput = Nchw.image(output, image);
            INDArray imageEpsilon = Nchw.image(epsilon, image);
            INDArray imageGradient = Nchw.image(gradient, image);
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < r; j++) {
                    outputChunk.assign(SubPixelLayout.pixels(imageOutput, r, i, j));
                    gradientChunk.assign(SubPixelLayout.pixels(imageEpsilon, r, i, j));
                    SubPixelLayout.subPixel(imageGradient, r, i, j)
                            .assign(activation.backpropOverOutput(outputChunk, gradientChunk));
                }
            }
        }
        return gradient;
    }

    /**
     * How the convolution's ways are chosen: as {@code -D}{@value ConvWays#PROPERTY} said when the layer was created,
     * unless a test sets another.
     */
    void convChoice(ConvChoice choice) {
        this.convChoice = choice;
    }

    ConvChoice convChoice() {
        return convChoice;
    }

    @Override
    public void clear() {
        super.clear();
        convolved = null;
    }
}
