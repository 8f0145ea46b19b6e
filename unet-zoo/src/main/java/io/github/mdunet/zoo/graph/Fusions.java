package io.github.mdunet.zoo.graph;

import java.util.Map;

/**
 * What a copy of a graph replaces by fused vertices: conv-norm-activation chains and residual joins, each keyed by
 * the name of the vertex that replaces it.
 *
 * @param chains see {@link ConvBatchNormChains}
 * @param joins  see {@link ResidualJoins}
 */
public record Fusions(Map<String, ConvBatchNormChains.Chain> chains, Map<String, ResidualJoins.Join> joins) {

    /** A plain copy. */
    public static final Fusions NONE = new Fusions(Map.of(), Map.of());

    public Fusions {
        chains = Map.copyOf(chains);
        joins = Map.copyOf(joins);
    }
}
