package io.github.mdunet.reference.torch.spec;

import java.util.List;
import java.util.Objects;

/** Bilinear resize to (height, width) with align_corners=False (PyTorch's interpolate); channels unchanged. */
public record ResizeBilinearVertex(String name, String input, int height, int width) implements VertexSpec {

    public static final String TYPE = "resize_bilinear";

    public ResizeBilinearVertex {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
        String where = "vertex '" + name + "' (" + TYPE + ")";
        Checks.positive(where, "height", height);
        Checks.positive(where, "width", width);
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
        return new ImageShape(Checks.single(this, inputShapes).channels(), height, width);
    }
}
