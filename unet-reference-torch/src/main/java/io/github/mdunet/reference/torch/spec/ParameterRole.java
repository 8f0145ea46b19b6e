package io.github.mdunet.reference.torch.spec;

/**
 * What a vertex's tensor is for, with its name in the .npz keys, its value before any init draw, and whether the
 * optimizer trains it. Weights are drawn by the vertex's {@link InitScheme}; everything else starts constant.
 */
public enum ParameterRole {
    WEIGHT,
    BIAS,
    BN_SCALE,
    BN_SHIFT,
    BN_RUNNING_MEAN,
    BN_RUNNING_VAR;

    /** The name after the vertex in {@code <vertex>.<param>}. */
    public String keyName() {
        return switch (this) {
            case WEIGHT -> "W";
            case BIAS -> "b";
            case BN_SCALE -> "gamma";
            case BN_SHIFT -> "beta";
            case BN_RUNNING_MEAN -> "mean";
            case BN_RUNNING_VAR -> "var";
        };
    }

    /** 1 for BatchNorm's scale and running variance, so that it starts as the identity; 0 for everything else. */
    public double startValue() {
        return this == BN_SCALE || this == BN_RUNNING_VAR ? 1.0 : 0.0;
    }

    /** False for BatchNorm's running statistics: buffers it updates itself, not parameters of the optimizer. */
    public boolean trainable() {
        return this != BN_RUNNING_MEAN && this != BN_RUNNING_VAR;
    }
}
