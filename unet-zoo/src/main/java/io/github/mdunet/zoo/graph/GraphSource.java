package io.github.mdunet.zoo.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.GraphVertex;

/**
 * The structure of a DL4J graph, read from a built {@link ComputationGraphConfiguration} or from a
 * {@link GraphBuilder}: its vertex configurations, each vertex's inputs, and its single image input.
 *
 * @param vertices     vertex name to vertex configuration (not copied: treat as read-only)
 * @param vertexInputs vertex name to the names of its inputs, in order
 * @param input        the name of the graph's only network input
 */
public record GraphSource(Map<String, GraphVertex> vertices, Map<String, List<String>> vertexInputs, String input) {

    public GraphSource {
        vertices = new LinkedHashMap<>(vertices);
        vertexInputs = new LinkedHashMap<>(vertexInputs);
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("GraphSource.input must name the graph's network input but was '"
                    + input + "'");
        }
    }

    /** The structure of a built configuration; it must have exactly one network input. */
    public static GraphSource of(ComputationGraphConfiguration configuration) {
        return new GraphSource(configuration.getVertices(), configuration.getVertexInputs(),
                singleInput(configuration.getNetworkInputs()));
    }

    /** The structure of a graph builder (for example a zoo model's {@code graphBuilder()}); one network input. */
    public static GraphSource of(GraphBuilder builder) {
        return new GraphSource(builder.getVertices(), builder.getVertexInputs(),
                singleInput(builder.getNetworkInputs()));
    }

    private static String singleInput(List<String> inputs) {
        if (inputs == null || inputs.size() != 1) {
            throw new IllegalArgumentException("an encoder graph must have exactly one network input (the image) but"
                    + " has " + (inputs == null ? 0 : inputs.size()) + ": " + inputs);
        }
        return inputs.get(0);
    }

    /** The inputs of {@code vertex}, or an empty list for the network input. */
    public List<String> inputsOf(String vertex) {
        List<String> inputs = vertexInputs.get(vertex);
        return inputs == null ? List.of() : inputs;
    }

    /**
     * The vertices in topological order (inputs before the vertices that read them), starting with the network
     * input, in the graph's own insertion order where the structure leaves a choice.
     */
    public List<String> topologicalOrder() {
        Map<String, Integer> pending = new HashMap<>();
        for (String vertex : vertices.keySet()) {
            pending.put(vertex, inputsOf(vertex).size());
        }
        Map<String, List<String>> readers = readers();
        List<String> order = new ArrayList<>(vertices.size() + 1);
        Deque<String> ready = new ArrayDeque<>();
        ready.add(input);
        while (!ready.isEmpty()) {
            String vertex = ready.poll();
            order.add(vertex);
            for (String reader : readers.getOrDefault(vertex, List.of())) {
                if (pending.merge(reader, -1, Integer::sum) == 0) {
                    ready.add(reader);
                }
            }
        }
        return order;
    }

    /** Each vertex's readers (the vertices that take it as an input, in insertion order); absent when none. */
    public Map<String, List<String>> readers() {
        Map<String, List<String>> readers = new HashMap<>();
        for (String vertex : vertices.keySet()) {
            for (String in : inputsOf(vertex)) {
                readers.computeIfAbsent(in, k -> new ArrayList<>()).add(vertex);
            }
        }
        return readers;
    }

    /**
     * {@code targets} and every vertex they depend on, without the network input, in topological order.
     *
     * @throws IllegalArgumentException naming a target that the graph does not have, with the names it has
     */
    public List<String> ancestorsOf(Collection<String> targets) {
        Set<String> needed = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        for (String target : targets) {
            if (!vertices.containsKey(target)) {
                throw new IllegalArgumentException("the graph has no vertex '" + target + "'; its vertices are: "
                        + vertices.keySet());
            }
            todo.add(target);
        }
        while (!todo.isEmpty()) {
            String vertex = todo.poll();
            if (vertex.equals(input) || !needed.add(vertex)) {
                continue;
            }
            todo.addAll(inputsOf(vertex));
        }
        List<String> ordered = new ArrayList<>(needed.size());
        for (String vertex : topologicalOrder()) {
            if (needed.contains(vertex)) {
                ordered.add(vertex);
            }
        }
        return ordered;
    }
}
