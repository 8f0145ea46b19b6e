package io.github.mdunet.reference.torch.spec;

import java.util.List;
import java.util.Objects;

/**
 * The loss: its input is the logits [N, classes, H, W]; the loss is softmax cross-entropy against class ids
 * [N, H, W], averaged over all pixels of the batch (PyTorch's F.cross_entropy, reduction 'mean').
 */
public record SoftmaxCrossEntropyVertex(String name, String input) implements VertexSpec {

    public static final String TYPE = "softmax_cross_entropy";

    public SoftmaxCrossEntropyVertex {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ImageShape outputShape(List<ImageShape> inputShapes) {
        return Checks.single(this, inputShapes);
    }
}
