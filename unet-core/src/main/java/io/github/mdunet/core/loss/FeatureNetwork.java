package io.github.mdunet.core.loss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A {@link FeatureExtractor}'s graph at run time: feature maps of an image batch, and the gradient of a loss with
 * respect to the image given the loss's gradients with respect to the feature maps (DL4J's backprop with external
 * errors, stopped at the input). The graph's parameters are read, never updated. It always runs in inference mode
 * (its dropout is removed: the identity there), so the maps of a prediction are computed as the target's are.
 *
 * <p>It runs inside another network's loss layer, while that network's workspaces are open: it has no workspaces of
 * its own and works scoped out of the caller's, so every array it returns is detached.
 */
final class FeatureNetwork {

    private final InputGradientGraph graph;
    private final String input;

    FeatureNetwork(ComputationGraph built) {
        ComputationGraphConfiguration configuration = built.getConfiguration().clone();
        configuration.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        configuration.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        for (GraphVertex vertex : configuration.getVertices().values()) {
            if (vertex instanceof LayerVertex layerVertex) {
                // Identity in inference mode, where this network always runs; but DL4J's dropout backprop asks for
                // the mask of a training pass.
                layerVertex.getLayerConf().getLayer().setIDropout(null);
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
        // Shares the built graph's parameter array: nothing here writes to it.
        graph.init(built.params(), false);
    }

    /** The number of feature maps. */
    int outputs() {
        return graph.getConfiguration().getNetworkOutputs().size();
    }

    /** The parameters (a view; for tests that check they never change). */
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
     * inference mode, like {@link #features}: the maps compared are the maps the targets are compared with (no
     * dropout, batch norm with its running statistics). DL4J's batch-norm backprop always takes the batch-statistics
     * form, so through a batch-norm layer the gradient is only approximate (exact through everything else).
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
