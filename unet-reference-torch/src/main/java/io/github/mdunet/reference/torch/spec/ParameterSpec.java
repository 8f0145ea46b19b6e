package io.github.mdunet.reference.torch.spec;

import java.util.Arrays;

/**
 * One tensor a vertex owns: its name within the vertex ({@code W}, {@code b}, {@code gamma}, {@code beta},
 * {@code mean}, {@code var}), its shape, and whether the optimizer trains it (BatchNorm running statistics are not
 * trained). Its key in the .npz files is {@code <vertex>.<name>}.
 */
public record ParameterSpec(String vertex, String name, long[] shape, boolean trainable) {

    public ParameterSpec {
        shape = shape.clone();
    }

    /** The key in init.npz and expected.npz: {@code <vertex>.<name>}. */
    public String key() {
        return vertex + "." + name;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ParameterSpec that && vertex.equals(that.vertex) && name.equals(that.name)
                && Arrays.equals(shape, that.shape) && trainable == that.trainable;
    }

    @Override
    public int hashCode() {
        return (vertex.hashCode() * 31 + name.hashCode()) * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return key() + Arrays.toString(shape) + (trainable ? "" : " (buffer)");
    }
}
