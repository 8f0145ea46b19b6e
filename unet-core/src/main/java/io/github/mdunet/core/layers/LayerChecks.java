package io.github.mdunet.core.layers;

/**
 * The range checks of the layer settings in this package and in {@code layers.direct}: each fails with an
 * {@link IllegalArgumentException} naming the field, the value and the valid range.
 */
public final class LayerChecks {

    private LayerChecks() {
    }

    /** Fails when {@code value < min}: "upscaleFactor must be >= 2 but was 1". */
    public static void requireAtLeast(String field, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + " but was " + value);
        }
    }

    /** As {@link #requireAtLeast}, for channel counts where 0 means "infer from the InputType". */
    public static void requireChannelsOrInfer(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be >= 1, or 0 to infer it from the InputType, but was "
                    + value);
        }
    }
}
