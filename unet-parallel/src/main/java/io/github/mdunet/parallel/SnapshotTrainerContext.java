package io.github.mdunet.parallel;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.factory.TrainerContext;
import org.deeplearning4j.parallelism.trainer.Trainer;

/**
 * DL4J's trainers (those of the given context), the workers after 0 made from one copy of the graph taken when worker
 * 0's trainer is made, before any batch is fed: its configuration (with the iteration and epoch counts that the
 * updater steps with), parameters and updater state. DL4J's trainers for workers 1..n copy the model they are given
 * (its configuration, parameters and updater state) on their own threads, which can happen after worker 0 has begun
 * its first step on the graph: a worker could then start from a half-updated model. With averaging, worker 0's
 * parameters and Adam's state can have moved; with gradient sharing, where no worker applies an update before every
 * worker of the round has sent its own, Adam's state (updated when worker 0 computes its update).
 */
final class SnapshotTrainerContext implements TrainerContext {

    private final TrainerContext trainers;
    private Model start;

    /** @param trainers DL4J's context for the wrapper's mode ({@code DefaultTrainerContext} for averaging) */
    SnapshotTrainerContext(TrainerContext trainers) {
        this.trainers = trainers;
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
            start = snapshot((ComputationGraph) model);
            return trainers.create(uuid, threadId, model, rootDevice, useMDS, wrapper, mode, averagingFrequency);
        }
        return trainers.create(uuid, threadId, start, rootDevice, useMDS, wrapper, mode, averagingFrequency);
    }

    /**
     * {@code graph}'s copy with its configuration's iteration and epoch counts, which DL4J's {@code clone()} does not
     * copy. The workers rebuild their copies from this configuration, and their updaters step with its counts: Adam's
     * bias correction reads the iteration count, so without them the workers after 0 restarted Adam at its first step
     * every epoch and after a resume while worker 0 counted on.
     */
    static ComputationGraph snapshot(ComputationGraph graph) {
        ComputationGraph copy = graph.clone();
        ComputationGraphConfiguration from = graph.getConfiguration();
        copy.getConfiguration().setIterationCount(from.getIterationCount());
        copy.getConfiguration().setEpochCount(from.getEpochCount());
        return copy;
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
