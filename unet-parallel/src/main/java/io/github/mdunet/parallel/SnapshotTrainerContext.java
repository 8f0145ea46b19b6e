package io.github.mdunet.parallel;

import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.factory.TrainerContext;
import org.deeplearning4j.parallelism.trainer.Trainer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's trainers of one {@link SyncMode} (those of {@link WorkerFailures}), the workers after 0 made from one copy of
 * the graph taken when worker 0's trainer is made, before any batch is fed: its configuration (with the iteration and
 * epoch counts that the updater steps with), parameters and updater state. DL4J's trainers for workers 1..n copy the
 * model they are given (its configuration, parameters and updater state) on their own threads, which can happen after
 * worker 0 has begun its first step on the graph: a worker could then start from a half-updated model. With
 * averaging, worker 0's parameters and Adam's state can have moved; with gradient sharing, where no worker applies an
 * update before every worker of the round has sent its own, Adam's state (updated when worker 0 computes its update).
 *
 * <p>The copy (parameters, gradient view and updater state: 16 bytes a parameter with Adam in FLOAT) is released as
 * soon as the last worker after 0 has made its own from it: worker 0, which copies nothing, may take its first step
 * beside it, but it is not held through the epoch nor left to the garbage collector afterwards; {@link #release()}
 * releases it if a worker never got that far.
 */
final class SnapshotTrainerContext implements TrainerContext {

    private final TrainerContext trainers;
    private final int workers;
    private ComputationGraph start;
    private int copiesAwaited;

    /**
     * @param mode    how the workers combine their updates
     * @param workers the wrapper's workers, >= 2: the snapshot is released once the {@code workers - 1} after 0 have
     *                copied it
     */
    SnapshotTrainerContext(SyncMode mode, int workers) {
        this.trainers = WorkerFailures.context(mode, this::copied);
        this.workers = workers;
    }

    @Override
    public void init(Model model, Object... args) {
        trainers.init(model, args);
    }

    @Override
    public synchronized Trainer create(String uuid, int threadId, Model model, int rootDevice, boolean useMDS,
                                       ParallelWrapper wrapper, WorkspaceMode mode, int averagingFrequency) {
        if (threadId == 0) {
            // worker 0 trains the graph itself; the others' start is taken now, before it is fed
            release();
            start = snapshot((ComputationGraph) model);
            copiesAwaited = workers - 1;
            return trainers.create(uuid, threadId, model, rootDevice, useMDS, wrapper, mode, averagingFrequency);
        }
        return trainers.create(uuid, threadId, start, rootDevice, useMDS, wrapper, mode, averagingFrequency);
    }

    /**
     * {@code graph}'s copy with its configuration's iteration and epoch counts, which DL4J's {@code clone()} does not
     * copy. The workers rebuild their copies from this configuration, and their updaters step with its counts: Adam's
     * bias correction reads the iteration count, so without them the workers after 0 restarted Adam at its first step
     * every epoch and after a resume while worker 0 counted on. Built here rather than by {@code clone()}, which
     * duplicates the updater state once more only to copy it into the new updater's own array.
     */
    static ComputationGraph snapshot(ComputationGraph graph) {
        ComputationGraphConfiguration from = graph.getConfiguration();
        ComputationGraphConfiguration configuration = from.clone();
        configuration.setIterationCount(from.getIterationCount());
        configuration.setEpochCount(from.getEpochCount());
        ComputationGraph copy = new ComputationGraph(configuration);
        copy.init(graph.params().dup(), false);
        ComputationGraphUpdater updater = graph.getUpdater(false);
        if (updater != null && updater.getStateViewArray() != null) {
            copy.getUpdater().getStateViewArray().assign(updater.getStateViewArray());
        }
        return copy;
    }

    /** Called on a worker's thread after 0 once it has made its copy of the snapshot; the last one releases it. */
    private synchronized void copied() {
        if (--copiesAwaited == 0) {
            release();
        }
    }

    /**
     * Closes the snapshot's parameters, gradient view and updater state, if it is still held; for after the workers
     * have stopped (a worker that failed before its copy never reports it). Never while a worker may still be copying
     * it: that would free the memory it reads. Not DL4J's {@code ComputationGraph.close}, which also destroys the
     * calling thread's workspaces and calls {@code System.gc()}.
     */
    synchronized void release() {
        if (start == null) {
            return;
        }
        close(start.params());
        close(start.getFlattenedGradients());
        ComputationGraphUpdater updater = start.getUpdater(false);
        if (updater != null) {
            close(updater.getStateViewArray());
        }
        start = null;
    }

    private static void close(INDArray array) {
        if (array != null && array.closeable()) {
            array.close();
        }
    }

    /** The snapshot while the workers after 0 have not all copied it (for tests). */
    synchronized Optional<ComputationGraph> held() {
        return Optional.ofNullable(start);
    }

    /** The workers after 0 that have not yet reported their copy (for tests). */
    synchronized int copiesAwaited() {
        return copiesAwaited;
    }

    @Override
    public void finalizeRound(Model originalModel, Model... models) {
        trainers.finalizeRound(originalModel, models);
    }

    @Override
    public void finalizeTraining(Model originalModel, Model... models) {
        trainers.finalizeTraining(originalModel, models);
    }
}
