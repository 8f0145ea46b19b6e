package io.github.mdunet.core.layers;

/**
 * The range check that only layer settings have, channel counts that may be inferred; the others use
 * {@link io.github.mdunet.core.checks.Checks}. Fails with an {@link IllegalArgumentException} naming the field, the
 * value and the valid range.
 */
public final class LayerChecks {

    private LayerChecks() {
    }

    /**
     * A channel count where 0 means "infer from the InputType" (as {@link io.github.mdunet.core.checks.Checks#atLeast}
     * for the others): "nIn must be >= 1, or 0 to infer it from the InputType, but was -1".
     */
    public static void requireChannelsOrInfer(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be >= 1, or 0 to infer it from the InputType, but was "
                    + value);
        }
    }
}
