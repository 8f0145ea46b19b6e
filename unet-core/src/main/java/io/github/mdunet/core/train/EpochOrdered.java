package io.github.mdunet.core.train;

/**
 * A training iterator whose order and random draws depend on the epoch (unet-data's shuffling, augmenting iterator).
 * Before each epoch the {@link Trainer} tells it which epoch comes, so that a resumed run goes on with the epochs it
 * had not trained, each with its own order and draws, instead of starting over at the first epoch's.
 */
public interface EpochOrdered {

    /**
     * Positions the iterator so that the {@code reset()} an {@link EpochFitter} starts with begins epoch
     * {@code epoch} (1 for the first).
     */
    void beforeEpoch(int epoch);
}
