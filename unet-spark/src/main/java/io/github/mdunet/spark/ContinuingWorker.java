package io.github.mdunet.spark;

import io.github.mdunet.core.nativememory.ReleasingWorkspaces;
import java.util.Collection;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.core.storage.StatsStorageRouterProvider;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;

/**
 * DL4J's parameter-averaging worker whose network continues the driver's step count: the network it builds for a
 * split starts at the driver's iteration and epoch counts when the split was handed out ({@code iterationCount},
 * {@code epochCount}) and advances the iteration count itself with each step it takes, as one network training the
 * whole run would. DL4J's own worker builds the network from {@code ComputationGraphConfiguration.clone()}, which
 * drops both counts, so every split's steps counted from iteration 0 while the updater state they continue (averaged
 * and broadcast with the parameters) had grown over the run. An updater reads the count as its step: Adam's bias
 * correction ({@code TorchAdam}'s {@code t} is the iteration count + 1) then divided a late split's moments as a
 * first step's, about 2x too large a step around update 10, about 0.3x once the moments had grown.
 *
 * <p>The executor's thread that builds the network trains it: it gets {@link ReleasingWorkspaces} there first, as the
 * trainers' threads on one machine do, so a long run's gradient workspaces keep no learnt blocks.
 *
 * <p>For {@link ComputationGraph}s, the only networks unet-spark trains.
 */
final class ContinuingWorker extends ParameterAveragingTrainingWorker {

    private static final long serialVersionUID = 1L;

    private final int iterationCount;
    private final int epochCount;

    /**
     * DL4J's worker over {@code broadcast} (the other arguments are {@code ParameterAveragingTrainingWorker}'s), its
     * networks starting at {@code iterationCount} and {@code epochCount}, both >= 0.
     */
    ContinuingWorker(Broadcast<NetBroadcastTuple> broadcast, boolean saveUpdater, WorkerConfiguration configuration,
                     Collection<TrainingHook> hooks, Collection<TrainingListener> listeners,
                     StatsStorageRouterProvider routerProvider, int iterationCount, int epochCount) {
        super(broadcast, saveUpdater, configuration, hooks, listeners, routerProvider);
        if (iterationCount < 0 || epochCount < 0) {
            throw new IllegalArgumentException("ContinuingWorker.iterationCount and epochCount must be >= 0 but were "
                    + iterationCount + " and " + epochCount + ": they are the driver's counts");
        }
        this.iterationCount = iterationCount;
        this.epochCount = epochCount;
    }

    @Override
    public ComputationGraph getInitialModelGraph() {
        ReleasingWorkspaces.applyToThisThread();
        ComputationGraph network = super.getInitialModelGraph();
        ComputationGraphConfiguration configuration = network.getConfiguration();
        configuration.setIterationCount(iterationCount);
        configuration.setEpochCount(epochCount);
        return network;
    }
}
