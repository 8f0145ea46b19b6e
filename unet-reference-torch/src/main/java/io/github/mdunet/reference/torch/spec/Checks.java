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

    /** What every convolution declares: weights drawn by {@code init} from inChannels to outChannels, each >= 1. */
    static void convolution(String where, int inChannels, int outChannels, InitScheme init) {
        Objects.requireNonNull(init, "init");
        positive(where, "inChannels", inChannels);
        positive(where, "outChannels", outChannels);
    }

    /** What every sliding window (convolution, pooling) declares: kernel and stride, each >= 1. */
    static void window(String where, int kernel, int stride) {
        positive(where, "kernel", kernel);
        positive(where, "stride", stride);
    }

    /**
     * The output of a kernel x kernel window moved by {@code stride} over {@code in} padded with {@code pad} on every
     * side: floor((H + 2 pad - kernel) / stride) + 1 rows, likewise columns, and {@code channels} channels.
     *
     * @throws IllegalArgumentException naming the vertex when the padded input is smaller than the kernel
     */
    static ImageShape windowOutput(VertexSpec vertex, ImageShape in, int channels, int kernel, int stride, int pad) {
        if (in.height() + 2 * pad < kernel || in.width() + 2 * pad < kernel) {
            throw new IllegalArgumentException(vertex.describe() + ": input " + in + " is smaller than the kernel "
                    + kernel);
        }
        return new ImageShape(channels, (in.height() + 2 * pad - kernel) / stride + 1,
                (in.width() + 2 * pad - kernel) / stride + 1);
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
