package io.github.mdunet.parallel;

/**
 * Data-parallel training on one machine: {@code workers} copies of the model, each fitting its own batches, kept in
 * step by {@code mode}. Each round hands one batch to each worker, so a round sees {@code workers} batches and an
 * epoch takes about {@code batches / workers} rounds.
 *
 * @param workers            model copies training at once, >= 2 (one per device; on a CPU they share its cores)
 * @param mode               how the copies are kept in step
 * @param averagingFrequency {@link SyncMode#AVERAGING}: average every this many rounds, >= 1, and after each
 *                           epoch's last round (ignored by {@link SyncMode#SHARED_GRADIENTS})
 * @param prefetchBatches    batches DL4J prepares ahead on a background thread for iterators that allow it
 *                           ({@code asyncSupported()}); 0 for none. unet-data's iterators prefetch on their own
 *                           ({@code PipelineConfig.prefetchBatches}) and say no, so for them this has no effect
 */
public record DataParallel(int workers, SyncMode mode, int averagingFrequency, int prefetchBatches) {

    public DataParallel {
        if (workers < 2) {
            throw new IllegalArgumentException("DataParallel.workers must be >= 2 but was " + workers
                    + "; train on one device with the Trainer's default fitter (EpochFitter.sequential())");
        }
        if (mode == null) {
            throw new IllegalArgumentException("DataParallel.mode must be set, e.g. SyncMode.AVERAGING");
        }
        if (averagingFrequency < 1) {
            throw new IllegalArgumentException("DataParallel.averagingFrequency must be >= 1 (rounds between"
                    + " averages) but was " + averagingFrequency);
        }
        if (prefetchBatches < 0) {
            throw new IllegalArgumentException("DataParallel.prefetchBatches must be >= 0 (0 = none) but was "
                    + prefetchBatches);
        }
    }

    /** {@code workers} workers averaging parameters and updater state after every round, prefetching 2 batches. */
    public static DataParallel averaging(int workers) {
        return new DataParallel(workers, SyncMode.AVERAGING, 1, 2);
    }

    public DataParallel withMode(SyncMode value) {
        return new DataParallel(workers, value, averagingFrequency, prefetchBatches);
    }

    public DataParallel withAveragingFrequency(int value) {
        return new DataParallel(workers, mode, value, prefetchBatches);
    }

    public DataParallel withPrefetchBatches(int value) {
        return new DataParallel(workers, mode, averagingFrequency, value);
    }
}
