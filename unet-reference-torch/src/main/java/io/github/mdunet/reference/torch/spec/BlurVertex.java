package io.github.mdunet.reference.torch.spec;

/**
 * fastai's blur after a pixel shuffle as a vertex of its own: replication padding of 1 at top and left, then a
 * 2 x 2 average pool with stride 1. Input and output [N, C, H, W].
 */
public record BlurVertex(String name, String input) implements ShapePreservingVertex {

    public static final String TYPE = "blur";

    public BlurVertex {
        Checks.singleInput(TYPE, name, input);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
