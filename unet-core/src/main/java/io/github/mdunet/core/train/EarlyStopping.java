package io.github.mdunet.core.train;

import io.github.mdunet.core.checks.Checks;

/**
 * Stop when the monitored validation metric has not improved by at least {@code minDelta} for {@code patience}
 * epochs.
 *
 * @param patience epochs without improvement before stopping, >= 1
 * @param minDelta the smallest change that counts as an improvement, >= 0
 */
public record EarlyStopping(int patience, double minDelta) {

    public EarlyStopping {
        Checks.atLeast("EarlyStopping.patience", patience, 1);
        if (!(minDelta >= 0)) {
            throw new IllegalArgumentException("EarlyStopping.minDelta must be >= 0 but was " + minDelta);
        }
    }
}
