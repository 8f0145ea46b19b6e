package io.github.mdunet.core.train;

import io.github.mdunet.core.checks.Checks;

/**
 * Stop when the monitored validation metric has not improved by more than {@code minDelta} for {@code patience}
 * epochs, as Keras's {@code EarlyStopping}: an epoch resets the patience when it beats by more than {@code minDelta}
 * the last epoch that reset it, so small gains that add up count. {@code minDelta} does not decide the best model:
 * any gain does.
 *
 * @param patience epochs without improvement before stopping, >= 1
 * @param minDelta the gain over the last epoch that reset the patience that resets it again, >= 0
 */
public record EarlyStopping(int patience, double minDelta) {

    public EarlyStopping {
        Checks.atLeast("EarlyStopping.patience", patience, 1);
        if (!(minDelta >= 0)) {
            throw new IllegalArgumentException("EarlyStopping.minDelta must be >= 0 but was " + minDelta);
        }
    }
}
