package io.github.mdunet.parallel;

import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.nativememory.NativeMemoryErrors;
import io.github.mdunet.core.nativememory.NativeOutOfMemoryError;
import io.github.mdunet.core.nativememory.Workload;
import io.github.mdunet.core.nativememory.Workload.Phase;
import io.github.mdunet.core.train.EpochFitter;
import io.github.mdunet.core.train.EpochSteps;
import io.github.mdunet.core.train.TrainingDivergedException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Fits each epoch with DL4J's {@link ParallelWrapper}: {@link DataParallel#workers()} copies of the U-Net's graph
 * (worker 0 trains the graph itself, the others copies rebuilt from its JSON configuration, with its iteration count,
 * parameters and updater state as they were before the first round: {@link SnapshotTrainerContext}), one batch per
 * worker per round; each worker calls the graph's listeners once a step, and numbers its steps for the learning-rate
 * schedule by its batches' places in the epoch ({@link StepReporter}). A new wrapper per epoch, so that between
 * epochs the U-Net's graph alone holds the state that the trainer validates and checkpoints: after an
 * {@link SyncMode#AVERAGING} epoch the average of the workers after the epoch's last round (averaged then even when
 * the round count is not a multiple of the averaging frequency, which DL4J's wrapper would leave to worker 0 alone:
 * see {@link AveragingWrapper}), after a {@link SyncMode#SHARED_GRADIENTS} epoch worker 0's copy, which has applied
 * every worker's updates.
 *
 * <p>Use with {@code new Trainer(config, validator).withFitter(new ParallelFitter(DataParallel.averaging(2)))}.
 *
 * @param parallel how many workers and how they combine their updates
 */
public record ParallelFitter(DataParallel parallel) implements EpochFitter {

    public ParallelFitter {
        Checks.requireSet("parallel", parallel, "e.g. DataParallel.averaging(2)");
    }

    @Override
    public void fitEpoch(UNet unet, DataSetIterator train, EpochSteps steps) {
        ComputationGraph graph = unet.graph();
        Collection<TrainingListener> ownListeners = new ArrayList<>(graph.getListeners());
        List<TrainingListener> listeners = new ArrayList<>(ownListeners);
        listeners.add(new StepReporter(steps, parallel.workers()));
        SnapshotTrainerContext trainers = trainers();
        ParallelWrapper wrapper = wrapper(graph, trainers);
        wrapper.setListeners(listeners);
        train.reset();
        try {
            wrapper.fit(train);
        } catch (RuntimeException | OutOfMemoryError e) {
            throw rethrown(e, unet, train);
        } finally {
            wrapper.shutdown();
            trainers.release(); // already released unless a worker failed before it made its copy
            // Worker 0 trained the graph itself: give it back its own listeners...
            graph.setListeners(ownListeners);
            if (parallel.mode() == SyncMode.SHARED_GRADIENTS) {
                // ...and no gradient sharing, so that the next epoch's wrapper (or a plain fit, also after a failed
                // epoch, whose accumulator is marked failed) starts clean.
                graph.setGradientsAccumulator(null);
            }
        }
    }

    /** The trainers of this fitter's mode and workers, the workers after 0 starting from a snapshot of the graph. */
    SnapshotTrainerContext trainers() {
        return new SnapshotTrainerContext(parallel.mode(), parallel.workers());
    }

    /**
     * A wrapper for one epoch over the graph with {@code trainers}, without listeners (the caller hands them over),
     * whose workers after 0 start from a {@link SnapshotTrainerContext snapshot} of the graph taken before the first
     * round.
     */
    ParallelWrapper wrapper(ComputationGraph graph, SnapshotTrainerContext trainers) {
        return switch (parallel.mode()) {
            case AVERAGING -> new AveragingWrapper(graph, parallel.workers(), parallel.averagingFrequency(),
                    parallel.prefetchBatches(), trainers);
            case SHARED_GRADIENTS -> sharedGradients(graph, trainers);
        };
    }

    /**
     * DL4J's gradient-sharing wrapper (its threshold encoding, an accumulator as its builder makes one), emptied of
     * listeners, its workers starting from a snapshot and failing together.
     */
    private ParallelWrapper sharedGradients(ComputationGraph graph, SnapshotTrainerContext trainers) {
        ParallelWrapper wrapper = new ParallelWrapper.Builder<>(graph)
                .workers(parallel.workers())
                .trainingMode(parallel.mode().toDl4j())
                .averagingFrequency(parallel.averagingFrequency())
                .prefetchBuffer(parallel.prefetchBatches())
                .gradientsAccumulator(new WorkerFailures.SharingAccumulator(parallel.workers(),
                        graph.numParams()))
                .build();
        // build() moved the graph's listeners onto the wrapper; given them again, a worker would get two clones of a
        // routing listener (the training UI's) and report each step twice.
        wrapper.getListeners().clear();
        // build() sets its own trainer context whatever the builder was given; the zoo is made from it in fit(). Its
        // workers, unlike DL4J's, stop together when one fails (WorkerFailures), instead of waiting for it forever.
        wrapper.setTrainerContext(trainers);
        return wrapper;
    }

    /** The worker's own failure (divergence, native memory) rather than DL4J's wrapping of it. */
    private static RuntimeException rethrown(Throwable thrown, UNet unet, DataSetIterator train) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof TrainingDivergedException diverged) {
                return diverged;
            }
            if (cause instanceof NativeOutOfMemoryError outOfMemory) {
                throw outOfMemory;
            }
        }
        NativeMemoryErrors.throwIfOutOfNativeMemory(thrown, new Workload(Phase.TRAINING_STEP, unet.config(),
                batchSize(train), unet.config().input()));
        if (thrown instanceof RuntimeException runtime) {
            return runtime;
        }
        throw (Error) thrown;
    }

    /** The iterator's batch size; 0 when it does not tell. */
    private static int batchSize(DataSetIterator iterator) {
        try {
            return Math.max(0, iterator.batch());
        } catch (RuntimeException e) {
            return 0;
        }
    }

    @Override
    public String describe() {
        return parallel.workers() + " workers, " + switch (parallel.mode()) {
            case AVERAGING -> "parameters and updater state averaged every " + parallel.averagingFrequency()
                    + " round" + (parallel.averagingFrequency() == 1 ? "" : "s");
            case SHARED_GRADIENTS -> "shared gradients";
        };
    }
}
