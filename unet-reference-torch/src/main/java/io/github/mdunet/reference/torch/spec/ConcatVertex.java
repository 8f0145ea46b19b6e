package io.github.mdunet.reference.torch.spec;

import java.util.List;
import java.util.Objects;

/**
 * Concatenation along channels in the order of {@code inputs}, then an element-wise activation ({@code identity} for
 * none); all inputs must share height and width.
 */
public record ConcatVertex(String name, List<String> inputs, Activation activation) implements VertexSpec {

    public static final String TYPE = "concat";

    public ConcatVertex {
        Objects.requireNonNull(name, "name");
        inputs = List.copyOf(inputs);
        Objects.requireNonNull(activation, "activation");
        if (inputs.size() < 2) {
            throw new IllegalArgumentException(Checks.where(name, TYPE) + ": needs at least 2 inputs but had "
                    + inputs);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ImageShape outputShape(List<ImageShape> inputShapes) {
        ImageShape first = inputShapes.get(0);
        int channels = 0;
        for (int i = 0; i < inputShapes.size(); i++) {
            ImageShape shape = inputShapes.get(i);
            if (shape.height() != first.height() || shape.width() != first.width()) {
                throw new IllegalArgumentException(describe() + ": inputs must share height and width but '"
                        + inputs.get(0) + "' is " + first + " and '" + inputs.get(i) + "' is " + shape);
            }
            channels += shape.channels();
        }
        return new ImageShape(channels, first.height(), first.width());
    }
}
