package io.github.mdunet.reference.torch.spec;

import java.util.Objects;

/** The network input: the vertex name the first layers read from and the image shape (C, H, W). */
public record InputSpec(String name, ImageShape shape) {

    public InputSpec {
        Objects.requireNonNull(name, "input.name");
        Objects.requireNonNull(shape, "input shape");
    }
}
