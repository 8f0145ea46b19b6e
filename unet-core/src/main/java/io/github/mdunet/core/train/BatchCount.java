package io.github.mdunet.core.train;

/**
 * A training iterator that knows its batches per epoch without being read. The {@link Trainer} needs the count for
 * its learning-rate schedule; an iterator without it is read through once to count.
 */
public interface BatchCount {

    /** Batches in one epoch. */
    int batchesPerEpoch();
}
