package io.github.mdunet.core.config;

/** Checks of settings shared by the configurations and builders of the modules. */
public final class Checks {

    private Checks() {
    }

    /**
     * Throws an {@link IllegalArgumentException} "{@code field} must be set ({@code hint}) but was null" when
     * {@code value} is null.
     */
    public static void requireSet(String field, Object value, String hint) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must be set (" + hint + ") but was null");
        }
    }

    /** Throws an {@link IllegalArgumentException} "{@code field} must be >= {@code min} but was {@code value}". */
    public static void atLeast(String field, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + " but was " + value);
        }
    }
}
