package io.github.mdunet.reference.torch.spec;

import java.util.List;

/** Max pooling without padding, floor mode: [N, C, H, W] to [N, C, floor((H - k) / s) + 1, ...]. */
public record MaxPoolVertex(String name, String input, int kernel, int stride) implements SingleInputVertex {

    public static final String TYPE = "maxpool";

    public MaxPoolVertex {
        String where = Checks.singleInput(TYPE, name, input);
        Checks.window(where, kernel, stride);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ImageShape outputShape(List<ImageShape> inputShapes) {
        ImageShape in = Checks.single(this, inputShapes);
        return Checks.windowOutput(this, in, in.channels(), kernel, stride, 0);
    }
}
