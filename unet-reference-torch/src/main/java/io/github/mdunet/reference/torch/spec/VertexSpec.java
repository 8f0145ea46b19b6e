package io.github.mdunet.reference.torch.spec;

import java.util.List;

/**
 * One vertex of the exported graph. Every vertex reads NCHW tensors from the vertices named in {@link #inputs()}
 * and produces one NCHW tensor; {@link #outputShape(List)} states and checks the shape contract.
 */
public sealed interface VertexSpec permits SingleInputVertex, ConcatVertex {

    String name();

    /** Names of the vertices (or the network input) this one reads, in order. */
    List<String> inputs();

    /** The {@code type} in network.json. */
    String type();

    /** The tensors this vertex owns, in a fixed order. */
    default List<ParameterSpec> parameters() {
        return List.of();
    }

    /**
     * The output shape for these input shapes (one per input, without the batch).
     *
     * @throws IllegalArgumentException naming this vertex when the inputs do not fit it
     */
    ImageShape outputShape(List<ImageShape> inputShapes);

    /** The prefix of every error message about this vertex. */
    default String describe() {
        return Checks.where(name(), type());
    }
}
