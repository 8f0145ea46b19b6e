package io.github.mdunet.reference.torch.spec;

import java.util.List;
import java.util.Objects;

/** Validation shared by the vertex records; every message names the vertex and the field. */
final class Checks {

    private Checks() {
    }

    /** The prefix of every error message about the vertex {@code name} of type {@code type}. */
    static String where(String name, String type) {
        return "vertex '" + name + "' (" + type + ")";
    }

    /** Refuses a missing name or input; returns the prefix of the vertex's error messages ({@link #where}). */
    static String singleInput(String type, String name, String input) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
        return where(name, type);
    }

    static void positive(String where, String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(where + ": " + field + " must be >= 1 but was " + value);
        }
    }

    static ImageShape single(VertexSpec vertex, List<ImageShape> inputShapes) {
        if (inputShapes.size() != 1) {
            throw new IllegalArgumentException(vertex.describe() + ": takes exactly 1 input but got "
                    + inputShapes.size());
        }
        return inputShapes.get(0);
    }

    /** The single input's shape, whose channel count must be the {@code declared} one of {@code field}. */
    static ImageShape singleWithChannels(VertexSpec vertex, String field, int declared, List<ImageShape> inputShapes) {
        ImageShape actual = single(vertex, inputShapes);
        if (declared != actual.channels()) {
            throw new IllegalArgumentException(vertex.describe() + ": " + field + " is " + declared + " but its input '"
                    + vertex.inputs().get(0) + "' has " + actual.channels() + " channels " + actual);
        }
        return actual;
    }
}
