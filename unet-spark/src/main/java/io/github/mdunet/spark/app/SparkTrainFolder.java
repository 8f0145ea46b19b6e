package io.github.mdunet.spark.app;

import io.github.mdunet.app.AppCommand;
import io.github.mdunet.app.AugmentOptions;
import io.github.mdunet.app.ClassicEncoderOptions;
import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.OptionChecks;
import io.github.mdunet.app.RunFolder;
import io.github.mdunet.app.ScheduleOption;
import io.github.mdunet.app.SegmentationFolderOptions;
import io.github.mdunet.app.SquareSizeOption;
import io.github.mdunet.app.TrainingOptions;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.optim.TorchAdam;
import io.github.mdunet.core.train.EarlierRun;
import io.github.mdunet.core.train.EpochRecord;
import io.github.mdunet.core.train.TrainingResult;
import io.github.mdunet.core.train.Validator;
import io.github.mdunet.data.SegmentationDataset;
import io.github.mdunet.data.augment.AugmentConfig;
import io.github.mdunet.data.pipeline.PipelineConfig;
import io.github.mdunet.spark.ExecutorPipeline;
import io.github.mdunet.spark.SampleRef;
import io.github.mdunet.spark.SparkTrainer;
import io.github.mdunet.spark.SparkTraining;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Trains a classic-encoder U-Net on a segmentation folder with Spark; run with {@code spark-submit} (see
 * docs/SCALE-OUT.md). The driver lists and checks the files; the executors decode them. The folder must be readable at
 * the same path on every executor (a shared file system), the output folder is the driver's. An earlier run's
 * checkpoints there are refused unless {@code --fresh} sets them aside (a Spark run cannot be resumed).
 */
@Command(name = "spark-train-folder", mixinStandardHelpOptions = true,
        description = "Trains a U-Net on a folder of images and masks on a Spark cluster; --batch is each worker's.")
public final class SparkTrainFolder extends AppCommand {

    @Option(names = "--data", required = true, description = "Folder with images/ and masks/ (masks: class-id PNGs,"
            + " or as --mask-values, --mask-palette-indices or --mask-palette say), at the same path on every"
            + " executor.")
    Path data;

    @Option(names = "--classes", required = true, description = "Number of classes, background included.")
    Integer classes;

    @Option(names = "--output", description = "Checkpoints on the driver.")
    Path output = Path.of("output", "spark-train");

    @Mixin
    SquareSizeOption size = new SquareSizeOption(128);

    @Mixin
    ClassicEncoderOptions encoder = new ClassicEncoderOptions(4, 32);

    @Mixin
    TrainingOptions training = new TrainingOptions(20, 8, 1e-3);

    @Mixin
    ScheduleOption learningRateSchedule = new ScheduleOption();

    @Option(names = "--averaging-frequency", description = "Batches each worker fits between two averages.")
    int averagingFrequency = 1;

    @Mixin
    AugmentOptions augment = new AugmentOptions();

    @Option(names = "--workers", description = "Workers the training master trains on, and the learning-rate schedule"
            + " counts steps for (executors x task slots each); 0 = Spark's default parallelism once the executors have"
            + " registered.")
    int workers = 0;

    @Option(names = "--partitions", description = "Partitions the samples are cut into (the training samples anew"
            + " each epoch); 0 = one per worker.")
    int partitions = 0;

    @Mixin
    SegmentationFolderOptions folder = new SegmentationFolderOptions();

    @Option(names = "--export-dir", description = "Where the training master writes each epoch's decoded batches,"
            + " reachable by every executor (e.g. hdfs:///tmp/unet-export); default: DL4J's, under hadoop.tmp.dir.")
    String exportDirectory;

    @Option(names = "--fresh", description = "Start a new run when the output folder holds an earlier run's"
            + " checkpoints: they are moved to " + RunFolder.CHECKPOINTS_SET_ASIDE + " beside them; nothing is deleted."
            + " (A Spark run cannot be resumed.)")
    boolean fresh;

    @Option(names = "--seed", description = "Seed for the split, weights, sample order and augmentation.")
    long seed = 1;

    /** The driver's native runtime (memory limits, allocator, oneDNN build) first, then the command line. */
    public static void main(String[] args) {
        CommandLines.run(args, () -> CommandLines.of(new SparkTrainFolder()));
    }

    @Override
    public Integer call() throws Exception {
        OptionChecks.atLeast(commandLine(), "--classes", classes, 2);
        size.check(commandLine(), 1);
        encoder.check(commandLine());
        training.check(commandLine());
        OptionChecks.atLeast(commandLine(), "--averaging-frequency", averagingFrequency, 1);
        OptionChecks.atLeast(commandLine(), "--workers", workers, 0);
        OptionChecks.atLeast(commandLine(), "--partitions", partitions, 0);
        folder.check(commandLine(), classes);
        AugmentConfig augmentation;
        try {
            augmentation = augment.config();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        // Before anything is read or written: an earlier run is refused unless --fresh says to set it aside.
        Optional<EarlierRun> earlier = EarlierRun.in(checkpoints());
        if (earlier.isPresent() && !fresh) {
            throw usage(checkpoints() + " holds " + earlier.get().describe() + ": give --fresh to start a new run (the"
                    + " earlier files are moved to " + RunFolder.CHECKPOINTS_SET_ASIDE + ", not deleted), or another"
                    + " --output. A Spark run cannot be resumed.");
        }
        TrainingOptions.Values schedule = training.values();
        int batch = schedule.batch();
        UNetConfig model = OptionChecks.validUNet(commandLine(), () -> UNetConfig.builder()
                .encoder(encoder.encoder(Normalization.BATCH))
                .input(size.shape(3))
                .numClasses(classes)
                .upsample(new UpsampleMode.PixelShuffle(false))
                .updater(new TorchAdam(schedule.learningRate()))
                .seed(seed)
                .build(), "--depth " + encoder.depth() + ", --base-width " + encoder.baseWidth() + ", --size "
                + size.side());
        SegmentationDataset dataset = folder.open(data, classes, seed);
        SparkConf conf = new SparkConf().setAppName("mdunet spark-train-folder");
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.setIfMissing("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator");
        // The context's start waits (up to spark.scheduler.maxRegisteredResourcesWaitingTime, 30 s) for every
        // executor asked for, so that the worker count read from it is the cluster's: on a standalone cluster the
        // default ratio 0 let it read 2 before the executors had registered.
        conf.setIfMissing("spark.scheduler.minRegisteredResourcesRatio", "1.0");
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            int workerCount = workers(spark.defaultParallelism());
            int slices = partitions(workerCount);
            SparkTraining training = sparkTraining(schedule.epochs(), batch).withWorkers(workerCount);
            ExecutorPipeline pipeline = ExecutorPipeline.of(PipelineConfig.training(model, batch, seed)
                    .withAugment(augmentation), folder.encoding(), classes, folder.significantBits(),
                    folder.badSamples());
            // Recorded in the model's files, so that predict and evaluate see whole images as training did.
            UNet unet = UNet.build(model).withTrainingRecord(augmentation.trainingRecord()
                    .withSignificantBits(folder.significantBits()));
            if (earlier.isPresent()) {
                Path moved = earlier.get().setAside();
                System.out.printf("Starting afresh; the earlier run's files (%s) are now in %s%n",
                        String.join(", ", earlier.get().files()), moved);
            }
            TrainingResult result = new SparkTrainer(spark, training).fit(unet,
                    spark.parallelize(SampleRef.of(dataset.training()), slices),
                    spark.parallelize(SampleRef.of(dataset.validation()), slices), pipeline);
            EpochRecord best = result.history().get(result.bestEpoch() - 1);
            System.out.printf(Locale.ROOT, "%s. Best epoch %d: %s%nBest model: %s%nmean IoU: %.4f%n",
                    result.stopReason(), result.bestEpoch(), EpochRecord.describe(best.validation()),
                    result.bestModel().toAbsolutePath(), best.validation().get(Validator.MEAN_IOU));
        }
        return 0;
    }

    /** The workers the driver trains on: {@code --workers}, or Spark's default parallelism when not given. */
    int workers(int defaultParallelism) {
        return workers > 0 ? workers : defaultParallelism;
    }

    /** The partitions of the sample lists: {@code --partitions}, or one per worker when not given. */
    int partitions(int workerCount) {
        return partitions > 0 ? partitions : workerCount;
    }

    /** Where the driver writes the checkpoints: under the output folder. */
    private Path checkpoints() {
        return RunFolder.checkpoints(output);
    }

    /** How the driver trains: the epochs, batch and schedule given, checkpoints under the output folder. */
    SparkTraining sparkTraining(int epochs, int batch) {
        return SparkTraining.of(epochs, batch, checkpoints())
                .withSchedule(learningRateSchedule.schedule())
                .withAveragingFrequency(averagingFrequency).withExportDirectory(exportDirectory);
    }
}
