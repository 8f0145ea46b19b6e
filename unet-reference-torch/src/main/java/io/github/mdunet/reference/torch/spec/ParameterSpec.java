package io.github.mdunet.reference.torch.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One tensor a vertex owns: its role (which names it: {@code W}, {@code b}, {@code gamma}, {@code beta},
 * {@code mean}, {@code var}) and its shape. Its key in the .npz files is {@code <vertex>.<role name>}.
 */
public record ParameterSpec(String vertex, ParameterRole role, long[] shape) {

    public ParameterSpec {
        Objects.requireNonNull(vertex, "vertex");
        Objects.requireNonNull(role, "role");
        shape = shape.clone();
    }

    /**
     * The tensors of a 2-D convolution: weights {@code [outChannels, inChannels, kernel, kernel]} (OIHW), then, when
     * {@code bias}, a bias {@code [outChannels]}.
     */
    static List<ParameterSpec> convolution(String vertex, int outChannels, int inChannels, int kernel, boolean bias) {
        ParameterSpec weights = new ParameterSpec(vertex, ParameterRole.WEIGHT,
                new long[] {outChannels, inChannels, kernel, kernel});
        return bias ? List.of(weights, new ParameterSpec(vertex, ParameterRole.BIAS, new long[] {outChannels}))
                : List.of(weights);
    }

    /** The key in init.npz and expected.npz: {@code <vertex>.<param>}. */
    public String key() {
        return vertex + "." + role.keyName();
    }

    public boolean trainable() {
        return role.trainable();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ParameterSpec that && vertex.equals(that.vertex) && role == that.role
                && Arrays.equals(shape, that.shape);
    }

    @Override
    public int hashCode() {
        return (vertex.hashCode() * 31 + role.hashCode()) * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return key() + Arrays.toString(shape) + (trainable() ? "" : " (buffer)");
    }
}
