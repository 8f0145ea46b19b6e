package io.github.mdunet.reference.torch.spec;

/**
 * What a vertex's tensor is for, with its name in the .npz keys, its value before any init draw, and whether the
 * optimizer trains it. Weights are drawn by the vertex's {@link InitScheme}; everything else starts constant.
 */
public enum ParameterRole {
    WEIGHT("W", 0.0, true),
    BIAS("b", 0.0, true),
    BN_SCALE("gamma", 1.0, true),
    BN_SHIFT("beta", 0.0, true),
    BN_RUNNING_MEAN("mean", 0.0, false),
    BN_RUNNING_VAR("var", 1.0, false);

    private final String keyName;
    private final double startValue;
    private final boolean trainable;

    ParameterRole(String keyName, double startValue, boolean trainable) {
        this.keyName = keyName;
        this.startValue = startValue;
        this.trainable = trainable;
    }

    /** The name after the vertex in {@code <vertex>.<param>}. */
    public String keyName() {
        return keyName;
    }

    public double startValue() {
        return startValue;
    }

    public boolean trainable() {
        return trainable;
    }
}
