package io.github.mdunet.reference.torch.spec;

/**
 * The loss: its input is the logits [N, classes, H, W]; the loss is softmax cross-entropy against class ids
 * [N, H, W], averaged over all pixels of the batch (PyTorch's F.cross_entropy, reduction 'mean').
 */
public record SoftmaxCrossEntropyVertex(String name, String input) implements ShapePreservingVertex {

    public static final String TYPE = "softmax_cross_entropy";

    public SoftmaxCrossEntropyVertex {
        Checks.singleInput(TYPE, name, input);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
