package io.github.mdunet.zoo.graph;

import io.github.mdunet.core.blocks.VertexNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Copies the part of a DL4J graph that computes some chosen vertices into another graph's builder: the way a zoo
 * model or a user's graph becomes a U-Net encoder.
 *
 * <p>Only the chosen vertices and their ancestors are copied, so a classification head (pooling, dense, output
 * layers after the deepest tap) is dropped without naming it. Every vertex keeps its name; the source's network
 * input is replaced by the target's input vertex. Layer and vertex configurations are cloned. Input preprocessors
 * are not copied: the target graph adds those it needs from its own input type, which also discards any height and
 * width that the source baked in for its own input size (the zoo's {@code InputType.convolutionalFlat} for VGG).
 */
public final class GraphCopy {

    private GraphCopy() {
    }

    /**
     * Adds {@code outputs} and their ancestors from {@code source} to {@code target}, reading the image from
     * {@code inputVertex} (which must already exist in {@code target}).
     *
     * @param adjust   called with each copied layer's name and its cloned configuration before it is added, to
     *                 change what the copy needs changed (may be a no-op)
     * @return the names of the copied vertices in topological order
     * @throws IllegalArgumentException naming a vertex that is missing from {@code source}, or a copied name that
     *                                  the U-Net reserves
     */
    public static List<String> copy(GraphSource source, Collection<String> outputs, GraphBuilder target,
                                    String inputVertex, LayerDefaults defaults, BiConsumer<String, Layer> adjust) {
        return copy(source, outputs, target, inputVertex, defaults, adjust, Fusions.NONE);
    }

    /**
     * As {@link #copy(GraphSource, Collection, GraphBuilder, String, LayerDefaults, BiConsumer)}, replacing each of
     * {@code fusions}' chains (keyed by fused name, see {@link ConvBatchNormChains#find}) by one fused layer named
     * after the chain's last vertex, and each of its residual joins (see {@link ResidualJoins#find}) by one
     * {@code ResidualActivation} named after the join's activation. {@code adjust} sees the chain's convolution (by
     * its own name) before the fused layer is made from it.
     *
     * @return the names of the vertices in {@code target}, in topological order
     */
    public static List<String> copy(GraphSource source, Collection<String> outputs, GraphBuilder target,
                                    String inputVertex, LayerDefaults defaults, BiConsumer<String, Layer> adjust,
                                    Fusions fusions) {
        Map<String, ConvBatchNormChains.Chain> chains = fusions.chains();
        Map<String, ConvBatchNormChains.Chain> byConvolution = new HashMap<>();
        Set<String> swallowed = new HashSet<>();
        for (ResidualJoins.Join join : fusions.joins().values()) {
            swallowed.add(join.sum());
        }
        for (ConvBatchNormChains.Chain chain : chains.values()) {
            byConvolution.put(chain.convolution(), chain);
            swallowed.add(chain.convolution());
            if (chain.activation() != null) {
                swallowed.add(chain.batchNorm());
            }
        }
        List<String> names = source.ancestorsOf(outputs);
        for (String name : names) {
            if (name.equals(inputVertex) || VertexNames.isReservedByUNet(name)) {
                throw new IllegalArgumentException("vertex '" + name + "' of the encoder graph clashes with a name"
                        + " that the U-Net uses (input '" + inputVertex + "', " + VertexNames.describeReservedByUNet()
                        + "): rename it in the source graph");
            }
            if (target.getVertices().containsKey(name)) {
                throw new IllegalArgumentException("vertex '" + name + "' is already in the target graph");
            }
        }
        List<String> added = new ArrayList<>(names.size());
        for (String name : names) {
            if (chains.containsKey(name)) {
                continue; // added with its convolution
            }
            ResidualJoins.Join join = fusions.joins().get(name);
            if (join != null) {
                target.addVertex(name, ResidualJoins.vertex(join, source),
                        renamed(join.inputs(), source, inputVertex));
                added.add(name);
                continue;
            }
            String[] inputs = renamed(source.inputsOf(name), source, inputVertex);
            GraphVertex vertex = source.vertices().get(name);
            ConvBatchNormChains.Chain chain = byConvolution.get(name);
            if (chain != null) {
                ConvolutionLayer convolution = (ConvolutionLayer) ((LayerVertex) vertex).getLayerConf().getLayer()
                        .clone();
                reset(convolution, defaults);
                adjust.accept(name, convolution);
                target.addLayer(chain.fusedName(), ConvBatchNormChains.fusedLayer(chain, source, convolution), inputs);
                added.add(chain.fusedName());
                continue;
            }
            if (swallowed.contains(name)) {
                continue;
            }
            added.add(name);
            if (vertex instanceof LayerVertex layerVertex) {
                Layer layer = layerVertex.getLayerConf().getLayer().clone();
                reset(layer, defaults);
                adjust.accept(name, layer);
                target.addLayer(name, layer, inputs);
            } else {
                target.addVertex(name, vertex.clone(), inputs);
            }
        }
        return added;
    }

    /** {@code inputs} with the source's network input replaced by the target's input vertex. */
    private static String[] renamed(List<String> inputs, GraphSource source, String inputVertex) {
        return inputs.stream().map(in -> in.equals(source.input()) ? inputVertex : in).toArray(String[]::new);
    }

    private static void reset(Layer layer, LayerDefaults defaults) {
        if (defaults == LayerDefaults.KEEP_ALL || !(layer instanceof BaseLayer base)) {
            return;
        }
        base.setIUpdater(null);
        base.setBiasUpdater(null);
        base.setRegularization(null);
        base.setRegularizationBias(null);
        if (defaults == LayerDefaults.USE_UNET_UPDATER_AND_INIT) {
            base.setWeightInitFn(null);
        }
    }
}
