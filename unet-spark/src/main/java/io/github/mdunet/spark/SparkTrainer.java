package io.github.mdunet.spark;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.files.DirectoryInUseException;
import io.github.mdunet.core.files.DirectoryLock;
import io.github.mdunet.core.metrics.SegmentationEvaluation;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.optim.HalfPrecisionUpdaters;
import io.github.mdunet.core.train.CheckpointConflictException;
import io.github.mdunet.core.train.Divergence;
import io.github.mdunet.core.train.EarlierRun;
import io.github.mdunet.core.train.EpochRecord;
import io.github.mdunet.core.train.Monitor;
import io.github.mdunet.core.train.StepLearningRates;
import io.github.mdunet.core.train.Trainer;
import io.github.mdunet.core.train.TrainingDivergedException;
import io.github.mdunet.core.train.TrainingResult;
import io.github.mdunet.core.train.Validator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link UNet} on Spark with dl4j-spark's {@link SparkComputationGraph} and parameter averaging. The samples
 * arrive as an RDD of {@link SampleRef}s and are decoded on the executors by unet-data's pipeline
 * ({@link DecodePartition}), so the driver never reads an image. Each epoch the training samples are put in the order
 * one machine's iterator over the same list would batch them in and cut anew into as many partitions as the RDD has
 * ({@link #trainingBatches}), each sample augmented as on one machine. After each epoch the driver holds the averaged
 * model: it is validated on the executors (loss and {@link SegmentationEvaluation}, the metrics of the single-machine
 * {@code Validator.segmentation()}) and saved as {@code last.zip}, and as {@code best.zip} when its validation mean IoU
 * is the best so far.
 *
 * <p>The learning-rate schedule ({@link SparkTraining#schedule}) runs over the run's steps as on one machine, the
 * steps counted as parameter averaging counts its updates ({@link #stepsPerEpoch}): the driver sets the rates of the
 * next step after each average ({@link ScheduledTrainingMaster}), so the steps of one split share a rate. The
 * checkpoints and the returned model hold the configured rates, so a new run can start from them. Not done here,
 * unlike {@code Trainer} on one machine: early stopping and resuming a killed run; so a checkpoint directory that
 * holds an earlier run is refused rather than overwritten, and the run holds the directory's
 * {@value EarlierRun#LOCK_FILE} while it trains, as {@code Trainer} does.
 */
public final class SparkTrainer {

    /** The names {@code Trainer} gives its checkpoints, by which {@link EarlierRun} finds a run of either trainer. */
    /** What picks the best epoch, and whose NaN (as a non-finite validation loss) means the run diverged. */
    private static final Monitor MONITOR = Monitor.maximize(Validator.MEAN_IOU);
    private static final Logger LOG = LoggerFactory.getLogger(SparkTrainer.class);

    private final JavaSparkContext spark;
    private final SparkTraining config;
    private final List<TrainingListener> workerListeners;

    public SparkTrainer(JavaSparkContext spark, SparkTraining config) {
        this(spark, config, List.of());
    }

    private SparkTrainer(JavaSparkContext spark, SparkTraining config, List<TrainingListener> workerListeners) {
        this.spark = spark;
        this.config = config;
        this.workerListeners = List.copyOf(workerListeners);
    }

    /**
     * This trainer with DL4J listeners on the workers: each split's workers call them with their copy of the network
     * (its scores, its learning rates), as a listener on one machine is called. Spark ships them with every split's
     * task, so they must be {@link java.io.Serializable}; what they record stays on the executor.
     */
    public SparkTrainer withWorkerListeners(List<? extends TrainingListener> listeners) {
        return new SparkTrainer(spark, config, List.copyOf(listeners));
    }

    /**
     * Trains {@code unet} on {@code train}, validating on {@code validation} after each epoch.
     *
     * @param pipeline how the executors decode samples, in batches of {@link SparkTraining#batchSizePerWorker}; its
     *                 batch size is used for validation batches too
     * @throws IllegalArgumentException  when the pipeline's batch size is not the configured batch per worker, its
     *                                   images are not of the U-Net's input shape, or the updater cannot train the
     *                                   HALF data type ({@link HalfPrecisionUpdaters})
     * @throws IllegalStateException     when the checkpoint directory holds an earlier run's models or state
     *                                   ({@link EarlierRun}): a run on Spark starts afresh and would overwrite them
     * @throws DirectoryInUseException   when another run holds the checkpoint directory
     * @throws TrainingDivergedException when an epoch's training loss is NaN or infinite
     * @throws IOException               when a checkpoint cannot be written
     */
    public TrainingResult fit(UNet unet, JavaRDD<SampleRef> train, JavaRDD<SampleRef> validation,
                              ExecutorPipeline pipeline) throws IOException {
        HalfPrecisionUpdaters.requireTrainable(unet.config().updater(), unet.config().dataType());
        if (pipeline.batchSize() != config.batchSizePerWorker()) {
            throw new IllegalArgumentException("the pipeline's batch size " + pipeline.batchSize() + " must equal"
                    + " SparkTraining.batchSizePerWorker " + config.batchSizePerWorker() + ": each decoded batch is"
                    + " one worker step, which the learning-rate schedule counts");
        }
        ImageShape input = unet.config().input();
        if (pipeline.channels() != input.channels() || pipeline.height() != input.height()
                || pipeline.width() != input.width()) {
            // As the Trainer's batch check (TrainingBatches), once for every batch: the pipeline frames them all.
            throw new IllegalArgumentException("the pipeline's images are " + pipeline.channels() + " x "
                    + pipeline.height() + " x " + pipeline.width() + " (channels x height x width) but the U-Net is"
                    + " built for " + input.channels() + " x " + input.height() + " x " + input.width() + " (config"
                    + ".input() " + input + "): its loss averages over the pixels of that size, so other batches"
                    + " would train with wrong losses and gradients. Make the pipeline with the model's configuration"
                    + " (PipelineConfig.training(config, ...)), or build the configuration at the pipeline's size."
                    + " Nothing was trained or saved.");
        }
        Path directory = config.checkpointDirectory();
        try (DirectoryLock lock = DirectoryLock.acquire(directory, EarlierRun.LOCK_FILE, "training run")) {
            Optional<EarlierRun> earlier = EarlierRun.in(directory);
            if (earlier.isPresent()) {
                throw new CheckpointConflictException(directory + " holds " + earlier.get().describe() + ": a run on"
                        + " Spark starts afresh (resuming is not implemented there) and would overwrite it. Give"
                        + " another SparkTraining.checkpointDirectory, or move the earlier run aside first"
                        + " (EarlierRun.setAside(), which spark-train-folder --fresh does)");
            }
            JavaRDD<ListedSample> training = listed(train).persist(StorageLevel.MEMORY_AND_DISK());
            JavaRDD<ListedSample> validating = listed(validation).persist(StorageLevel.MEMORY_AND_DISK());
            try {
                return train(unet, training, validating, pipeline, directory);
            } finally {
                training.unpersist(false);
                validating.unpersist(false);
            }
        }
    }

    /** Trains with the checkpoint {@code directory} locked. */
    private TrainingResult train(UNet unet, JavaRDD<ListedSample> train, JavaRDD<ListedSample> validation,
                                 ExecutorPipeline pipeline, Path directory) throws IOException {
        int size = listSize(train);
        int workers = config.workers() > 0 ? config.workers() : spark.defaultParallelism();
        long steps = config.epochs() * stepsPerEpoch(new EpochSlices(size, train.getNumPartitions())
                .batches(config.batchSizePerWorker()), workers, config.averagingFrequency());
        ComputationGraph driver = unet.graph();
        long firstIteration = driver.getConfiguration().getIterationCount();
        StepLearningRates rates = StepLearningRates.of(driver, config.schedule(), steps);
        rates.apply(driver, 0);
        ParameterAveragingTrainingMaster master = trainingMaster(workers, rates, firstIteration);
        SparkComputationGraph network = new SparkComputationGraph(spark, driver, master);
        network.setCollectTrainingStats(false);
        if (!workerListeners.isEmpty()) {
            network.setListeners(workerListeners);
        }
        try {
            List<EpochRecord> history = new ArrayList<>();
            double bestIoU = Double.NEGATIVE_INFINITY;
            int bestEpoch = 0;
            UNet current = unet;
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                long start = System.nanoTime();
                ComputationGraph graph;
                try {
                    graph = network.fit(trainingBatches(train, size, pipeline, epoch));
                } finally {
                    master.deleteTempFiles(spark);
                }
                double trainLoss = network.getScore();
                if (!Double.isFinite(trainLoss)) {
                    throw new TrainingDivergedException("training loss became " + trainLoss + " at epoch " + epoch
                            + (epoch == 1 ? "" : "; the last good checkpoint is " + directory.resolve(Trainer.LAST))
                            + ". Lower the learning rate or check the data for NaN values.");
                }
                current = unet.withGraph(graph);
                long nextStep = graph.getConfiguration().getIterationCount() - firstIteration;
                Map<String, Double> metrics = validate(network, validation, pipeline);
                EpochRecord record = new EpochRecord(epoch, trainLoss, metrics,
                        rates.factorAt(nextStep - config.averagingFrequency()), (System.nanoTime() - start) / 1e9);
                history.add(record);
                LOG.info("epoch {}/{} on Spark: {}", epoch, config.epochs(), record.describe());
                double iou = Divergence.monitoredValue(metrics, MONITOR, epoch,
                        epoch == 1 ? "" : "; the last good checkpoint is " + directory.resolve(Trainer.LAST));
                boolean best = iou > bestIoU || bestEpoch == 0;
                if (best) {
                    bestIoU = iou;
                    bestEpoch = epoch;
                }
                rates.restore(graph); // the files hold the configured rates, for a new run to start from
                try {
                    current.save(directory.resolve(Trainer.LAST));
                    if (best) {
                        current.save(directory.resolve(Trainer.BEST));
                    }
                } finally {
                    rates.apply(graph, nextStep);
                }
            }
            rates.restore(current.graph());
            return new TrainingResult(current, history, bestEpoch, directory.resolve(Trainer.BEST),
                    "all " + config.epochs() + " epochs done");
        } finally {
            // Also after a failed epoch (divergence, a failed write): the model the caller keeps, saves or trains
            // again holds the configured rates, not the last split's scaled ones.
            rates.restore(driver);
        }
    }

    /**
     * {@code samples}, each with its index in the RDD's order: for an RDD made by {@code parallelize}, the index in
     * the list, as one machine's iterator over that list numbers it.
     */
    static JavaRDD<ListedSample> listed(JavaRDD<SampleRef> samples) {
        return samples.zipWithIndex().map(pair -> new ListedSample(Math.toIntExact(pair._2()), pair._1()));
    }

    private static int listSize(JavaRDD<ListedSample> samples) {
        long size = samples.count();
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("SparkTrainer trains on at most " + Integer.MAX_VALUE + " samples"
                    + " (unet-data's sample indices are ints) but was given " + size);
        }
        return (int) size;
    }

    /**
     * The training batches of {@code epoch} (from 1, as one machine's {@code Trainer} counts it: the iterator's
     * {@code beforeEpoch(epoch)} and {@code reset()}), decoded on the executors. The samples are put in the order one
     * machine's iterator over the whole list of {@code size} batches them in that epoch (its shuffle, from the
     * pipeline's seed) and cut into as many consecutive slices as {@code train} has partitions ({@link EpochSlices}),
     * so each epoch every batch draws its samples from the whole list; each sample is augmented with the draws of its
     * index in the list. Each sample is thus decoded as on one machine, and with partitions of a whole number of
     * batches the batches are one machine's.
     */
    static JavaRDD<DataSet> trainingBatches(JavaRDD<ListedSample> train, int size, ExecutorPipeline pipeline,
                                            int epoch) {
        return train.mapPartitionsToPair(new EpochPositions(pipeline, epoch, size))
                .repartitionAndSortWithinPartitions(new EpochSlices(size, train.getNumPartitions()))
                .values()
                .mapPartitions(new DecodePartition(pipeline, epoch, true));
    }

    /**
     * The updates of one epoch as parameter averaging counts them (the driver's iteration count grows by the
     * averaging frequency per split): {@code batches} cut into runs of {@code workers x averagingFrequency} batches,
     * the last one shorter ({@link EpochSplits}), each worker fitting up to {@code averagingFrequency} of them per
     * split.
     */
    static long stepsPerEpoch(long batches, int workers, int averagingFrequency) {
        return EpochSplits.count(batches, (long) workers * averagingFrequency) * averagingFrequency;
    }

    private ParameterAveragingTrainingMaster trainingMaster(int workers, StepLearningRates rates,
                                                            long firstIteration) {
        ParameterAveragingTrainingMaster.Builder builder =
                new ParameterAveragingTrainingMaster.Builder(workers, config.batchSizePerWorker())
                        .batchSizePerWorker(config.batchSizePerWorker())
                        .averagingFrequency(config.averagingFrequency())
                        .workerPrefetchNumBatches(config.workerPrefetchBatches())
                        .saveUpdater(true)
                        .rddTrainingApproach(RDDTrainingApproach.Export)
                        // The rounds are EpochSplits', consecutive: DL4J's random split, which drew from this seed,
                        // is not used; fixed, so that nothing else the master might draw varies from run to run.
                        .rngSeed(0);
        config.exportDirectory().ifPresent(builder::exportDirectory);
        return new ScheduledTrainingMaster(builder, rates, firstIteration);
    }

    /** The metrics of {@code Validator.segmentation()}, computed on the executors. */
    static Map<String, Double> validate(SparkComputationGraph network, JavaRDD<ListedSample> validation,
                                        ExecutorPipeline pipeline) {
        JavaRDD<DataSet> batches = validation.mapPartitions(new DecodePartition(pipeline, 0, false))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            // In the pipeline's batches: DL4J's default merges them into forward passes of 64 samples.
            double loss = network.calculateScore(batches, true, pipeline.batchSize());
            SegmentationEvaluation evaluation = network.doEvaluation(batches, pipeline.batchSize(),
                    new SegmentationEvaluation(pipeline.numClasses()))[0];
            return Validator.segmentationMetrics(loss, evaluation);
        } finally {
            batches.unpersist(false);
        }
    }
}
