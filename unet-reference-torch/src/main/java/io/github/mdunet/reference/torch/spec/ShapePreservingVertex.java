package io.github.mdunet.reference.torch.spec;

import java.util.List;

/**
 * A single-input vertex whose output has its input's shape: an element-wise activation, a blur, or the loss on the
 * logits.
 */
public sealed interface ShapePreservingVertex extends SingleInputVertex
        permits ActivationVertex, BlurVertex, SoftmaxCrossEntropyVertex {

    @Override
    default ImageShape outputShape(List<ImageShape> inputShapes) {
        return Checks.single(this, inputShapes);
    }
}
