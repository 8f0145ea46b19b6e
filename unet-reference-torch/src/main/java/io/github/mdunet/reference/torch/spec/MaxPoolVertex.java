package io.github.mdunet.reference.torch.spec;

import java.util.List;

/** Max pooling without padding, floor mode: [N, C, H, W] to [N, C, floor((H - k) / s) + 1, ...]. */
public record MaxPoolVertex(String name, String input, int kernel, int stride) implements SingleInputVertex {

    public static final String TYPE = "maxpool";

    public MaxPoolVertex {
        String where = Checks.singleInput(TYPE, name, input);
        Checks.positive(where, "kernel", kernel);
        Checks.positive(where, "stride", stride);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ImageShape outputShape(List<ImageShape> inputShapes) {
        ImageShape in = Checks.single(this, inputShapes);
        if (in.height() < kernel || in.width() < kernel) {
            throw new IllegalArgumentException(describe() + ": input " + in + " is smaller than the kernel " + kernel);
        }
        return new ImageShape(in.channels(), (in.height() - kernel) / stride + 1, (in.width() - kernel) / stride + 1);
    }
}
