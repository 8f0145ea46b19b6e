package io.github.mdunet.reference.torch.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A network description as exported by the project (network.json, format 1): the input, its normalisation, the
 * class count and the vertices in topological order. Construction checks the whole graph: unique names, inputs
 * that exist earlier, channel counts that match what actually arrives, and an output vertex that is the loss over
 * {@code classes} channels.
 */
public record NetworkSpec(int format, InputSpec input, InputNormalization inputNormalization, int classes,
        List<VertexSpec> vertices, String output) {

    /** The only format version this reader understands. */
    public static final int FORMAT = 1;

    public NetworkSpec {
        if (format != FORMAT) {
            throw new IllegalArgumentException("network.json format " + format + " is not supported; this reader"
                    + " understands format " + FORMAT);
        }
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(inputNormalization, "inputNormalization");
        Objects.requireNonNull(output, "output");
        vertices = List.copyOf(vertices);
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be >= 2 but was " + classes);
        }
        inputNormalization.checkChannels(input.shape().channels());
        inferShapes(input, vertices, output, classes);
    }

    /** The output shape (C, H, W) of every vertex, the input first, in topological order. */
    public Map<String, ImageShape> shapes() {
        return inferShapes(input, vertices, output, classes);
    }

    /** The vertex with this name. */
    public VertexSpec vertex(String name) {
        for (VertexSpec vertex : vertices) {
            if (vertex.name().equals(name)) {
                return vertex;
            }
        }
        throw new IllegalArgumentException("no vertex '" + name + "'; the vertices are " + vertexNames());
    }

    /** The loss vertex named by {@link #output()}. */
    public SoftmaxCrossEntropyVertex lossVertex() {
        return (SoftmaxCrossEntropyVertex) vertex(output);
    }

    /** All parameters and buffers, vertex by vertex in topological order. */
    public List<ParameterSpec> parameters() {
        List<ParameterSpec> all = new ArrayList<>();
        for (VertexSpec vertex : vertices) {
            all.addAll(vertex.parameters());
        }
        return Collections.unmodifiableList(all);
    }

    public List<String> vertexNames() {
        return vertices.stream().map(VertexSpec::name).toList();
    }

    private static Map<String, ImageShape> inferShapes(InputSpec input, List<VertexSpec> vertices, String output,
            int classes) {
        Map<String, ImageShape> shapes = new LinkedHashMap<>();
        shapes.put(input.name(), input.shape());
        for (VertexSpec vertex : vertices) {
            if (shapes.containsKey(vertex.name())) {
                throw new IllegalArgumentException(vertex.describe() + ": the name is used twice");
            }
            List<ImageShape> inputShapes = new ArrayList<>();
            for (String inputName : vertex.inputs()) {
                ImageShape shape = shapes.get(inputName);
                if (shape == null) {
                    throw new IllegalArgumentException(vertex.describe() + ": input '" + inputName + "' is not the"
                            + " network input or an earlier vertex (vertices must be in topological order); the names"
                            + " defined before it are " + shapes.keySet());
                }
                inputShapes.add(shape);
            }
            shapes.put(vertex.name(), vertex.outputShape(inputShapes));
            if (vertex instanceof SoftmaxCrossEntropyVertex && !vertex.name().equals(output)) {
                throw new IllegalArgumentException(vertex.describe() + ": a loss vertex must be the output, but"
                        + " output is '" + output + "'");
            }
        }
        if (!shapes.containsKey(output) || output.equals(input.name())) {
            throw new IllegalArgumentException("output '" + output + "' is not a vertex; the vertices are "
                    + vertices.stream().map(VertexSpec::name).toList());
        }
        VertexSpec outputVertex = vertices.stream().filter(v -> v.name().equals(output)).findFirst().orElseThrow();
        if (!(outputVertex instanceof SoftmaxCrossEntropyVertex)) {
            throw new IllegalArgumentException("output '" + output + "' must be a " + SoftmaxCrossEntropyVertex.TYPE
                    + " vertex but is " + outputVertex.type());
        }
        ImageShape logits = shapes.get(output);
        if (logits.channels() != classes) {
            throw new IllegalArgumentException(outputVertex.describe() + ": its input '" + outputVertex.inputs().get(0)
                    + "' has " + logits.channels() + " channels but classes is " + classes);
        }
        return Collections.unmodifiableMap(shapes);
    }
}
