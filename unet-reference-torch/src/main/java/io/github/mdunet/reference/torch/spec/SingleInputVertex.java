package io.github.mdunet.reference.torch.spec;

import java.util.List;

/** A vertex that reads one tensor: the vertex (or the network input) named {@link #input()}. */
public sealed interface SingleInputVertex extends VertexSpec permits Conv2dVertex, BatchNormVertex, ConvBnActVertex,
        MaxPoolVertex, PixelShuffleConvVertex, ResizeBilinearVertex, ShapePreservingVertex {

    /** The name of the vertex (or the network input) this one reads. */
    String input();

    @Override
    default List<String> inputs() {
        return List.of(input());
    }
}
