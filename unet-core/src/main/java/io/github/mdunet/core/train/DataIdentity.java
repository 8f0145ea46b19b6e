package io.github.mdunet.core.train;

import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A data iterator that can say what it yields, so that a resumed {@link Trainer} run can tell whether its data changed
 * since the run began (the epochs already trained saw the old data; the schedule counts the old batches). An iterator
 * without it is described by its class and batch size only.
 */
public interface DataIdentity {

    /**
     * A short text that changes when the samples or how they become batches change (which files, their sizes, the
     * batch size, shuffling, augmentation, normalisation), and stays equal otherwise, also in another process. For
     * example {@code "120 samples [3fa2c1d0], batch 8, shuffled, seed 1, augment FLIPS"}.
     */
    String dataIdentity();

    /** {@code iterator}'s own identity, or its class and batch size. */
    static String of(DataSetIterator iterator) {
        if (iterator instanceof DataIdentity known) {
            return known.dataIdentity();
        }
        String batch;
        try {
            batch = ", batch " + iterator.batch();
        } catch (RuntimeException e) {
            batch = "";
        }
        return iterator.getClass().getName() + batch;
    }
}
