package io.github.mdunet.core.loss;

import io.github.mdunet.core.layers.BatchNormParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.DepthwiseConvolutionParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A {@link FeatureExtractor}'s graph at run time: feature maps of an image batch, and the gradient of a loss with
 * respect to the image given the loss's gradients with respect to the feature maps (DL4J's backprop with external
 * errors, stopped at the input). The graph's parameters are read, never updated. It always runs in inference mode,
 * so the maps of a prediction are computed as the target's are: its dropout is removed (the identity there), and
 * each batch norm on feature maps becomes the per-channel affine map it computes with its running statistics (a 1x1
 * depthwise convolution with {@code gamma / std} and {@code beta - mean * gamma / std}), because DL4J's batch-norm
 * backprop always takes the batch-statistics form, which is not the gradient of inference mode.
 *
 * <p>It runs inside another network's loss layer, while that network's workspaces are open: it has no workspaces of
 * its own and works scoped out of the caller's, so every array it returns is detached.
 */
final class FeatureNetwork {

    /** The input size at which the layers' output types are inferred: any size that every network accepts. */
    private static final int NOMINAL_SIZE = 1024;

    private final InputGradientGraph graph;
    private final String input;

    /**
     * @param built         the extractor's graph
     * @param inputChannels its input's channels (to tell batch norms on feature maps from batch norms on vectors)
     */
    FeatureNetwork(ComputationGraph built, int inputChannels) {
        ComputationGraphConfiguration configuration = built.getConfiguration().clone();
        configuration.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        configuration.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        Map<String, InputType> types = configuration.clone().getLayerActivationTypes(false, false,
                InputType.convolutional(NOMINAL_SIZE, NOMINAL_SIZE, inputChannels));
        Map<String, BatchNormalization> batchNorms = new LinkedHashMap<>();
        for (Map.Entry<String, GraphVertex> entry : configuration.getVertices().entrySet()) {
            if (entry.getValue() instanceof LayerVertex layerVertex) {
                Layer layer = layerVertex.getLayerConf().getLayer();
                // Identity in inference mode, where this network always runs; but DL4J's dropout backprop asks for
                // the mask of a training pass.
                layer.setIDropout(null);
                if (layer instanceof BatchNormalization batchNorm && layerVertex.getPreProcessor() == null
                        && types.get(entry.getKey()) instanceof InputType.InputTypeConvolutional) {
                    batchNorms.put(entry.getKey(), batchNorm);
                    layerVertex.getLayerConf().setLayer(inferenceAffine(entry.getKey(), batchNorm));
                }
            }
        }
        List<String> inputs = configuration.getNetworkInputs();
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("a feature network must have one input (the image) but has " + inputs);
        }
        for (String output : configuration.getNetworkOutputs()) {
            for (Map.Entry<String, List<String>> reader : configuration.getVertexInputs().entrySet()) {
                if (reader.getValue().contains(output)) {
                    throw new IllegalArgumentException("feature output '" + output + "' is also read by vertex '"
                            + reader.getKey() + "': DL4J would drop the gradient that flows back through '"
                            + reader.getKey() + "'. Make each output a leaf, e.g. an identity ActivationLayer after"
                            + " the tapped layer");
                }
            }
        }
        this.input = inputs.get(0);
        this.graph = new InputGradientGraph(configuration);
        if (batchNorms.isEmpty()) {
            // Shares the built graph's parameter array: nothing here writes to it.
            graph.init(built.params(), false);
        } else {
            graph.init();
            copyParameters(built, batchNorms);
        }
    }

    /** A batch norm's inference-mode map as a layer with an exact backprop: a 1x1 depthwise convolution. */
    private static DepthwiseConvolution2D inferenceAffine(String name, BatchNormalization batchNorm) {
        // Identity: DL4J's batch norm ignores its activation. Made outside a network builder, so without its
        // defaults: the ones init() needs (the values are set after).
        return new DepthwiseConvolution2D.Builder(1, 1).nIn(batchNorm.getNOut()).depthMultiplier(1).hasBias(true)
                .dataFormat(batchNorm.getCnn2DFormat()).activation(new ActivationIdentity()).name(name)
                .weightInit(WeightInit.ZERO).biasInit(0).updater(new NoOp()).build();
    }

    /** The built graph's parameters, each replaced batch norm's as its affine map's scale and shift. */
    private void copyParameters(ComputationGraph built, Map<String, BatchNormalization> batchNorms) {
        for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            org.deeplearning4j.nn.api.Layer source = built.getLayer(name);
            BatchNormalization batchNorm = batchNorms.get(name);
            if (batchNorm == null) {
                for (Map.Entry<String, INDArray> param : layer.paramTable().entrySet()) {
                    param.getValue().assign(source.getParam(param.getKey()));
                }
                continue;
            }
            long channels = batchNorm.getNOut();
            INDArray mean = source.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).reshape(channels);
            INDArray variance = BatchNormParams.runningVariance(source.paramTable()).reshape(channels);
            INDArray gamma = batchNorm.isLockGammaBeta()
                    ? Nd4j.valueArrayOf(new long[] {channels}, batchNorm.getGamma(), mean.dataType())
                    : source.getParam(BatchNormalizationParamInitializer.GAMMA).reshape(channels);
            INDArray beta = batchNorm.isLockGammaBeta()
                    ? Nd4j.valueArrayOf(new long[] {channels}, batchNorm.getBeta(), mean.dataType())
                    : source.getParam(BatchNormalizationParamInitializer.BETA).reshape(channels);
            INDArray scale = gamma.div(Transforms.sqrt(variance.addi(batchNorm.getEps()), false));
            INDArray shift = beta.sub(mean.mul(scale));
            INDArray weights = layer.getParam(DepthwiseConvolutionParamInitializer.WEIGHT_KEY);
            weights.assign(scale.reshape(weights.shape()));
            INDArray bias = layer.getParam(DepthwiseConvolutionParamInitializer.BIAS_KEY);
            bias.assign(shift.reshape(bias.shape()));
        }
    }

    /** The number of feature maps. */
    int outputs() {
        return graph.getConfiguration().getNetworkOutputs().size();
    }

    /**
     * The parameters (a view of the built graph's, or with batch norms their affine maps'; for tests that check they
     * never change).
     */
    INDArray parameters() {
        return graph.params();
    }

    /** The feature maps of {@code images} {@code [N, C, H, W]}, in inference mode. */
    List<INDArray> features(INDArray images) {
        // Not graph.output(...): it refuses to run while the caller's workspaces are open, even scoped out.
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return outputsOf(graph.feedForward(new INDArray[] {images}, false, true));
        }
    }

    private List<INDArray> outputsOf(Map<String, INDArray> activations) {
        List<INDArray> features = new ArrayList<>();
        for (String output : graph.getConfiguration().getNetworkOutputs()) {
            features.add(activations.get(output));
        }
        return features;
    }

    /**
     * A forward pass that keeps what backprop needs, then the gradient with respect to {@code images} of a loss
     * whose gradients with respect to the feature maps {@code gradients.apply(features)} computes. The pass runs in
     * inference mode, like {@link #features}: the maps compared are the maps the targets are compared with.
     */
    INDArray inputGradient(INDArray images, FeatureGradients gradients) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            List<INDArray> features = outputsOf(graph.feedForward(new INDArray[] {images}, false, false));
            INDArray[] featureGradients = gradients.of(features).toArray(INDArray[]::new);
            if (featureGradients.length != features.size()) {
                throw new IllegalStateException("expected " + features.size() + " feature gradients but got "
                        + featureGradients.length);
            }
            return graph.inputGradient(input, featureGradients);
        }
    }

    /** The loss's gradients with respect to the feature maps, given the feature maps. */
    @FunctionalInterface
    interface FeatureGradients {
        List<INDArray> of(List<INDArray> features);
    }

    /** Exposes DL4J's backprop with external errors without clearing the input's gradient. */
    private static final class InputGradientGraph extends ComputationGraph {

        private static final long serialVersionUID = 1L;

        InputGradientGraph(ComputationGraphConfiguration configuration) {
            super(configuration);
        }

        INDArray inputGradient(String inputVertex, INDArray[] outputGradients) {
            try {
                calcBackpropGradients(false, false, outputGradients);
                INDArray gradient = getVertex(inputVertex).getEpsilon();
                if (gradient == null) {
                    throw new IllegalStateException("no gradient reached input '" + inputVertex + "'; outputs "
                            + Arrays.toString(outputGradients.length == 0 ? new Object[0] : getConfiguration()
                            .getNetworkOutputs().toArray()));
                }
                return gradient.dup();
            } finally {
                clearLayersStates();
            }
        }
    }
}
