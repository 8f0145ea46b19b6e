package io.github.mdunet.reference.torch.spec;

import java.util.List;

/** Bilinear resize to (height, width) with align_corners=False (PyTorch's interpolate); channels unchanged. */
public record ResizeBilinearVertex(String name, String input, int height, int width) implements SingleInputVertex {

    public static final String TYPE = "resize_bilinear";

    public ResizeBilinearVertex {
        String where = Checks.singleInput(TYPE, name, input);
        Checks.positive(where, "height", height);
        Checks.positive(where, "width", width);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ImageShape outputShape(List<ImageShape> inputShapes) {
        return new ImageShape(Checks.single(this, inputShapes).channels(), height, width);
    }
}
