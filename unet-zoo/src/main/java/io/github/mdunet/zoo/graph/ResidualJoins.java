package io.github.mdunet.zoo.graph;

import io.github.mdunet.core.layers.direct.ConvNormActivation;
import io.github.mdunet.core.layers.direct.ResidualActivation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;

/**
 * Finds the residual joins of a graph, {@code ElementWiseVertex(Add) -> ActivationLayer} as DL4J's zoo ResNets end
 * every block, that one {@link ResidualActivation} vertex can replace, and builds that vertex: the way zoo encoders
 * keep one array per join instead of two, or none when the join may overwrite its residual branch.
 *
 * <p>A join qualifies when the sum has exactly two inputs, the activation is its only reader and is one the vertex
 * computes (identity, ReLU, leaky ReLU), and the sum is not to stay visible (a skip tap). The vertex takes the
 * activation's name, so every reader and tap still finds it. It overwrites its first input in training when one
 * input is a fused block with the identity activation ({@code chains} without an activation layer) that only the
 * sum reads and that is not visible: that input goes first.
 */
public final class ResidualJoins {

    /**
     * One replaceable join.
     *
     * @param sum             the sum's vertex name (dropped)
     * @param activation      the activation layer's vertex name (the new vertex's)
     * @param inputs          the sum's inputs, the reusable one first when there is one
     * @param reuseFirstInput whether the first input is overwritten in training
     */
    public record Join(String sum, String activation, List<String> inputs, boolean reuseFirstInput) {

        public Join {
            inputs = List.copyOf(inputs);
        }
    }

    private ResidualJoins() {
    }

    /**
     * The replaceable joins among {@code vertices} of {@code source}, keyed by the activation's name.
     *
     * @param visible vertex names that must stay in the graph (taps, the bottleneck)
     * @param chains  the fused chains of the same copy (see {@link ConvBatchNormChains#find}), keyed by fused name
     */
    public static Map<String, Join> find(GraphSource source, Collection<String> vertices, Set<String> visible,
                                         Map<String, ConvBatchNormChains.Chain> chains) {
        Map<String, List<String>> readers = source.readers();
        Map<String, Join> joins = new LinkedHashMap<>();
        for (String sum : vertices) {
            List<String> inputs = source.inputsOf(sum);
            List<String> sumReaders = readers.getOrDefault(sum, List.of());
            if (!(source.vertices().get(sum) instanceof ElementWiseVertex add)
                    || add.getOp() != ElementWiseVertex.Op.Add
                    || inputs.size() != 2 || visible.contains(sum) || sumReaders.size() != 1
                    || !vertices.contains(sumReaders.get(0))
                    || activationLayer(source.vertices().get(sumReaders.get(0))) == null) {
                continue;
            }
            String activation = sumReaders.get(0);
            List<String> ordered = new ArrayList<>(inputs);
            boolean reuse = false;
            for (int i = 0; i < 2 && !reuse; i++) {
                String input = inputs.get(i);
                ConvBatchNormChains.Chain chain = chains.get(input);
                if (chain != null && chain.activation() == null && !visible.contains(input)
                        && readers.getOrDefault(input, List.of()).equals(List.of(sum))) {
                    reuse = true;
                    ordered = List.of(input, inputs.get(1 - i));
                }
            }
            joins.put(activation, new Join(sum, activation, ordered, reuse));
        }
        return joins;
    }

    /** The vertex computing {@code join}, with the activation layer's function. */
    public static ResidualActivation vertex(Join join, GraphSource source) {
        return new ResidualActivation(activationLayer(source.vertices().get(join.activation())).getActivationFn(),
                join.reuseFirstInput());
    }

    private static ActivationLayer activationLayer(GraphVertex vertex) {
        if (vertex instanceof LayerVertex layerVertex && layerVertex.getPreProcessor() == null
                && layerVertex.getLayerConf().getLayer() instanceof ActivationLayer activation
                && activation.getIDropout() == null
                && ConvNormActivation.supportsActivation(activation.getActivationFn())) {
            return activation;
        }
        return null;
    }
}
