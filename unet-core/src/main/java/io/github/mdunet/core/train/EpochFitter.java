package io.github.mdunet.core.train;

import io.github.mdunet.core.model.UNet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Fits one epoch of batches into a U-Net's graph: one batch at a time on the calling thread ({@link #sequential()}),
 * or spread over data-parallel workers (module unet-parallel). {@link Trainer} keeps everything around the epoch
 * (validation, checkpoints, resume) on the U-Net's own graph, so an implementation must leave that graph holding the
 * epoch's result when it returns.
 *
 * <p>Tensor contract: the iterator's batches are features {@code [N, C, H, W]} and labels {@code [N, K, H, W]} as the
 * U-Net's configuration expects them, H and W the configured input's: {@link Trainer} hands a fitter its iterator
 * with each batch checked as it is taken ({@link TrainingBatches}), and a batch of another size makes the next
 * {@link EpochSteps#beforeStep} throw, before that step's update.
 *
 * <p>The epoch around the steps is the trainer's: it calls the graph's listeners' {@code onEpochStart} before
 * {@link #fitEpoch} and {@code onEpochEnd} after it, then increments the graph's epoch count, as DL4J's
 * {@code fit(iterator)} does; a fitter does neither (DL4J's {@code fit(DataSet)} and {@code ParallelWrapper} do not).
 * The count is in the graph's configuration, which models copied for workers must take with the iteration count, so
 * that each step's {@code iterationDone} gets its epoch.
 */
public interface EpochFitter {

    /**
     * Fits every batch of {@code train}, from its start, into {@code unet.graph()}, calling
     * {@link EpochSteps#beforeStep} on the model that takes each step before its update (with the step's batch's
     * place in the epoch when steps can start out of order) and {@link EpochSteps#afterStep} with its loss and its
     * batch's samples after it.
     *
     * @throws TrainingDivergedException when a step's loss is NaN or infinite (thrown by {@link EpochSteps})
     */
    void fitEpoch(UNet unet, DataSetIterator train, EpochSteps steps);

    /** A short description for the log, e.g. {@code "1 device"} or {@code "2 workers, AVERAGING every 1 step"}. */
    String describe();

    /** One batch at a time on the calling thread, with DL4J's {@code ComputationGraph.fit(DataSet)}. */
    static EpochFitter sequential() {
        return SequentialFitter.INSTANCE;
    }
}
