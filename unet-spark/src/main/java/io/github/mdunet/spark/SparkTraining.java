package io.github.mdunet.spark;

import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.train.LearningRateSchedule;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How to train on Spark with parameter averaging ({@code ParameterAveragingTrainingMaster}): each executor thread
 * (worker) fits {@code averagingFrequency} batches of {@code batchSizePerWorker} on its copy, then the driver averages
 * the copies' parameters and updater state and sends the average out again.
 *
 * @param epochs                 passes over the training samples, >= 1
 * @param batchSizePerWorker     samples per batch on a worker, >= 1
 * @param averagingFrequency     batches each worker fits between two averages, >= 1
 * @param workerPrefetchBatches  batches a worker loads ahead on a background thread, >= 0
 * @param checkpointDirectory    on the driver: {@code last.zip} after each epoch, {@code best.zip} at the best
 *                               validation mean IoU (U-Net files with their configuration)
 * @param exportDirectory        where the training master writes the decoded batches of an epoch before the workers
 *                               fit them (DL4J's "export" approach; a URI every executor can reach, e.g.
 *                               {@code hdfs:///tmp/unet-export}); empty for DL4J's default under
 *                               {@code hadoop.tmp.dir}. Each epoch's files are deleted after its fit
 * @param schedule               the learning-rate schedule, a factor of the layers' configured rates over the run's
 *                               updates (as {@code TrainingConfig.schedule} on one machine); the driver sets the rate
 *                               of each split's first update, which the split's {@code averagingFrequency} updates
 *                               share
 * @param workers                the workers the training master splits each round's batches among and the schedule
 *                               counts steps for (executors x task slots each), >= 0; 0 for Spark's default
 *                               parallelism as the context reports it when training starts
 */
public record SparkTraining(int epochs, int batchSizePerWorker, int averagingFrequency, int workerPrefetchBatches,
                            Path checkpointDirectory, Optional<String> exportDirectory,
                            LearningRateSchedule schedule, int workers) {

    public SparkTraining {
        Checks.atLeast("SparkTraining.epochs", epochs, 1);
        Checks.atLeast("SparkTraining.batchSizePerWorker", batchSizePerWorker, 1);
        Checks.atLeast("SparkTraining.averagingFrequency", averagingFrequency, 1,
                "batches per worker between averages");
        Checks.atLeast("SparkTraining.workerPrefetchBatches", workerPrefetchBatches, 0, "0 = none");
        if (checkpointDirectory == null) {
            throw new IllegalArgumentException("SparkTraining.checkpointDirectory must be set");
        }
        exportDirectory = exportDirectory == null ? Optional.empty() : exportDirectory;
        Checks.requireSet("SparkTraining.schedule", schedule, LearningRateSchedule.class);
        Checks.atLeast("SparkTraining.workers", workers, 0, "0 = Spark's default parallelism");
    }

    /**
     * {@code epochs} epochs, batches of {@code batchSizePerWorker}, averaging after every batch, 2 prefetched,
     * fastai's one-cycle schedule (as {@code TrainingConfig.of}), Spark's default parallelism as the worker count.
     */
    public static SparkTraining of(int epochs, int batchSizePerWorker, Path checkpointDirectory) {
        return new SparkTraining(epochs, batchSizePerWorker, 1, 2, checkpointDirectory, Optional.empty(),
                LearningRateSchedule.OneCycle.fastai(), 0);
    }

    public SparkTraining withAveragingFrequency(int value) {
        return new SparkTraining(epochs, batchSizePerWorker, value, workerPrefetchBatches, checkpointDirectory,
                exportDirectory, schedule, workers);
    }

    public SparkTraining withExportDirectory(String value) {
        return new SparkTraining(epochs, batchSizePerWorker, averagingFrequency, workerPrefetchBatches,
                checkpointDirectory, Optional.ofNullable(value), schedule, workers);
    }

    public SparkTraining withSchedule(LearningRateSchedule value) {
        return new SparkTraining(epochs, batchSizePerWorker, averagingFrequency, workerPrefetchBatches,
                checkpointDirectory, exportDirectory, value, workers);
    }

    public SparkTraining withWorkers(int value) {
        return new SparkTraining(epochs, batchSizePerWorker, averagingFrequency, workerPrefetchBatches,
                checkpointDirectory, exportDirectory, schedule, value);
    }
}
