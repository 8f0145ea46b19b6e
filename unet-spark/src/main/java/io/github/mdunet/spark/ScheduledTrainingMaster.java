package io.github.mdunet.spark;

import io.github.mdunet.core.train.StepLearningRates;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parameter averaging with a learning-rate schedule, whose workers continue the driver's step count. After each
 * split's average the driver sets its network's rates for the run's next step, and the next split's workers, which
 * rebuild the network from the configuration the driver broadcasts, train at them. The step is the driver's iteration
 * count (which parameter averaging advances by the averaging frequency per split) less {@code firstIteration}, its
 * count when the run started; the caller sets the rates of step 0 before the first split
 * ({@link StepLearningRates#apply}). The rates are fixed values in the configuration, not a schedule the workers
 * evaluate, so the {@code averagingFrequency} steps of one split share one rate.
 *
 * <p>Each split's workers are {@link ContinuingWorker}s: their networks start at the driver's iteration and epoch
 * counts and count on with each step, so the updater sees the run's step (Adam's bias correction), where DL4J's own
 * worker restarted both at 0 in every split ({@code ComputationGraphConfiguration.clone} drops them).
 *
 * <p>The splits are {@link EpochSplits}: consecutive runs of workers x averaging frequency batches in the epoch's
 * order, so every batch is fitted, where DL4J's random split gave a worker more batches than it fits whenever the
 * epoch was no multiple of that, and the worker dropped the rest. A split that got no batch is skipped: dl4j-spark M2
 * fails averaging nothing (a {@code NullPointerException}), where its later versions skip the split. For
 * {@link ComputationGraph}s only.
 */
final class ScheduledTrainingMaster extends ParameterAveragingTrainingMaster {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledTrainingMaster.class);

    private final StepLearningRates rates;
    private final long firstIteration;

    ScheduledTrainingMaster(Builder builder, StepLearningRates rates, long firstIteration) {
        super(builder);
        this.rates = rates;
        this.firstIteration = firstIteration;
    }

    /**
     * DL4J's {@code ParameterAveragingTrainingMaster.getWorkerInstance}, the same broadcast and worker configuration,
     * with a {@link ContinuingWorker} that starts at the driver's counts as the worker.
     */
    @Override
    public ParameterAveragingTrainingWorker getWorkerInstance(SparkComputationGraph network) {
        ComputationGraph driver = network.getNetwork();
        NetBroadcastTuple tuple = new NetBroadcastTuple(driver.getConfiguration(), driver.params(),
                driver.getUpdater().getStateViewArray());
        if (collectTrainingStats) {
            stats.logBroadcastStart();
        }
        Broadcast<NetBroadcastTuple> broadcast = network.getSparkContext().broadcast(tuple);
        if (collectTrainingStats) {
            stats.logBroadcastEnd();
        }
        WorkerConfiguration configuration = new WorkerConfiguration(true, rddDataSetNumExamples, batchSizePerWorker,
                averagingFrequency, prefetchNumBatches, collectTrainingStats);
        return new ContinuingWorker(broadcast, saveUpdater, configuration, trainingHookList, listeners,
                getRouterProvider(), driver.getConfiguration().getIterationCount(),
                driver.getConfiguration().getEpochCount());
    }

    /** {@link EpochSplits#consecutive}: every exported batch of the epoch in one split, none over the workers' fit. */
    @Override
    protected <T> JavaRDD<T>[] getSplitRDDs(JavaRDD<T> trainingData, int totalDataSetObjectCount,
                                            int examplesPerDataSetObject) {
        return EpochSplits.consecutive(trainingData, totalDataSetObjectCount,
                getNumDataSetObjectsPerSplit(examplesPerDataSetObject));
    }

    @Override
    protected void processResults(SparkDl4jMultiLayer network, SparkComputationGraph graph,
                                  JavaRDD<ParameterAveragingTrainingResult> results, int splitNum, int totalSplits) {
        // Kept, so that counting the results does not train the split a second time for the average.
        results.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            if (results.count() == 0) {
                LOG.info("split {} of {} got no batch from DL4J's random split: skipped", splitNum, totalSplits);
                return;
            }
            super.processResults(network, graph, results, splitNum, totalSplits);
        } finally {
            results.unpersist(false);
        }
        ComputationGraph driver = graph.getNetwork();
        rates.apply(driver, driver.getConfiguration().getIterationCount() - firstIteration);
    }
}
