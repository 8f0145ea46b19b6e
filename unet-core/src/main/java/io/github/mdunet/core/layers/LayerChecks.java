package io.github.mdunet.core.layers;

/**
 * The checks that only layer settings have: channel counts that may be inferred, and a restored configuration's
 * settings named by their layer; the others use {@link io.github.mdunet.core.checks.Checks}. Each fails with an
 * {@link IllegalArgumentException} naming the field, the value and the valid range.
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

    /**
     * Runs the settings check of a configuration restored from JSON (whose fields Jackson set without the
     * constructor's checks); its IllegalArgumentException is thrown again with {@code layer} in front, e.g.
     * "PixelShuffle 'up1': upscaleFactor must be >= 2 but was 1", so that the message names the vertex.
     */
    public static void checkRestored(String layer, Runnable checkSettings) {
        try {
            checkSettings.run();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(layer + ": " + e.getMessage(), e);
        }
    }
}
