package io.github.mdunet.reference.torch.spec;

import java.util.Objects;

/** An element-wise activation; output shape = input shape. */
public record ActivationVertex(String name, String input, Activation function) implements ShapePreservingVertex {

    public static final String TYPE = "activation";

    public ActivationVertex {
        Checks.singleInput(TYPE, name, input);
        Objects.requireNonNull(function, "function");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
