package io.github.mdunet.core.loss;

import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.core.naming.StableTypeNames;
import java.io.IOException;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.shade.jackson.annotation.JsonTypeInfo;
import org.nd4j.shade.jackson.databind.annotation.JsonTypeIdResolver;

/**
 * The frozen network of a {@link FeatureLoss}: which feature maps it compares and how much each counts. A
 * description, not the network: implementations are immutable value types (records) saved with the U-Net
 * configuration under a stable name ({@link FeatureExtractorNames}, else the class name, as an {@code Encoder}),
 * and {@link #build} makes the network when the loss first needs it.
 *
 * <p>Tensor contract of the built graph: one input {@code [N, inputChannels(), H, W]} in
 * {@link #inputNormalization()}, for any H and W of at least its total stride; its network outputs are the feature
 * maps {@code [N, C_i, H_i, W_i]}, one per {@link #layerWeights()} entry and in that order. Outputs must be leaves
 * (no other vertex reads them; put an identity {@code ActivationLayer} after a tapped layer), because DL4J replaces
 * rather than adds the gradient of an output that another vertex also reads. Its parameters are never updated.
 *
 * <p>The loss runs the graph in inference mode only, for the prediction's maps as for the target's: dropout is
 * dropped and a batch norm on feature maps is run as the per-channel affine map of its running statistics (DL4J's
 * batch-norm backprop takes the batch-statistics form, which is not inference mode's gradient). A batch norm on
 * vectors (after a dense layer) is left to DL4J, so the gradient through it is only approximate.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CUSTOM, include = JsonTypeInfo.As.PROPERTY,
        property = StableTypeNames.NAME_PROPERTY)
@JsonTypeIdResolver(FeatureExtractorTypeResolver.class)
public interface FeatureExtractor {

    /**
     * The network's configuration in {@code dataType}, without weights: what {@link #build} initialises, and what a
     * memory estimate reads (nothing is allocated or read from disk).
     */
    ComputationGraphConfiguration configuration(DataType dataType);

    /**
     * A new, initialised graph of this network in {@code dataType}, with its weights (pretrained or not); by default
     * {@link #configuration} with its random initialisation.
     *
     * @throws IOException when pretrained weights are asked for and cannot be read
     */
    default ComputationGraph build(DataType dataType) throws IOException {
        ComputationGraph built = new ComputationGraph(configuration(dataType));
        built.init();
        return built;
    }

    /** The pixel normalisation the network expects (for pretrained weights: the one they were trained with). */
    InputNormalization inputNormalization();

    /** The input channels, e.g. 3. */
    int inputChannels();

    /** The weight of each feature map, in the order of the graph's outputs. */
    List<Double> layerWeights();
}
