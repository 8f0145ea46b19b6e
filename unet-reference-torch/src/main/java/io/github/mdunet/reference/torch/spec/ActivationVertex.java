package io.github.mdunet.reference.torch.spec;

import java.util.List;
import java.util.Objects;

/** An element-wise activation; output shape = input shape. */
public record ActivationVertex(String name, String input, Activation function) implements VertexSpec {

    public static final String TYPE = "activation";

    public ActivationVertex {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(function, "function");
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
