package io.github.mdunet.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.train.EpochRecord;
import io.github.mdunet.core.train.LearningRateSchedule;
import io.github.mdunet.core.train.Monitor;
import io.github.mdunet.core.train.Trainer;
import io.github.mdunet.core.train.TrainingConfig;
import io.github.mdunet.core.train.TrainingResult;
import io.github.mdunet.core.train.Validator;
import io.github.mdunet.data.SegmentationDataset;
import io.github.mdunet.data.augment.AugmentPreset;
import io.github.mdunet.data.image.MaskEncoding;
import io.github.mdunet.data.pipeline.PairedDataSetIterator;
import io.github.mdunet.data.pipeline.PipelineConfig;
import io.github.mdunet.data.synthetic.SyntheticShapes;
import io.github.mdunet.data.testing.SmallShapes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A U-Net with custom SameDiff layers (sub-pixel convolution, pixel shuffle) trained in {@code local[2]}: the
 * executors rebuild it from what the driver broadcasts and decode the samples from their paths. Its loss falls and its
 * validation mean IoU ends close to one worker's on the same data and epochs.
 */
class SparkTrainerTest {

    static final int BATCH = 4;
    static final int EPOCHS = 6;
    /** Largest difference of final validation mean IoU allowed between Spark local[2] and one worker. */
    static final double IOU_TOLERANCE = 0.10;

    @TempDir
    static Path directory;

    private static JavaSparkContext spark;
    private static SegmentationDataset dataset;

    @BeforeAll
    static void start() {
        dataset = SmallShapes.dataset(directory.resolve("data"), 48);
        spark = LocalSpark.start();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void localTwoTrainsToAFallingLossCloseToOneWorker() throws IOException {
        // 2 workers with batches of 2 averaged after every batch against 1 worker with batches of 4: each update sees
        // 4 samples and both make the same number of updates.
        ExecutorPipeline pipeline = ExecutorPipeline.of(PipelineConfig.training(SmallShapes.model(), BATCH / 2, 3),
                AugmentPreset.NONE, new MaskEncoding.ClassIds(), SyntheticShapes.NUM_CLASSES);
        JavaRDD<SampleRef> train = spark.parallelize(SampleRef.of(dataset.training()), 2);
        JavaRDD<SampleRef> validation = spark.parallelize(SampleRef.of(dataset.validation()), 2);
        Path checkpoints = directory.resolve("spark");
        TrainingResult onSpark = new SparkTrainer(spark, SparkTraining.of(EPOCHS, BATCH / 2, checkpoints)
                .withExportDirectory(directory.resolve("export").toUri().toString()))
                .fit(UNet.build(SmallShapes.model()), train, validation, pipeline);

        List<Double> losses = onSpark.history().stream().map(EpochRecord::trainLoss).toList();
        assertThat(losses.get(EPOCHS - 1)).isLessThan(losses.get(0));
        UNet saved = UNet.load(checkpoints.resolve(SparkTrainer.LAST));
        assertThat(saved.config()).isEqualTo(SmallShapes.model());
        assertThat(saved.graph().params()).isEqualTo(onSpark.model().graph().params());

        TrainingResult oneWorker = oneWorker(directory.resolve("one"));
        double sparkIoU = finalIoU(onSpark);
        double oneIoU = finalIoU(oneWorker);
        System.out.printf("final validation mean IoU: 1 worker %.4f, Spark local[2] %.4f%n", oneIoU, sparkIoU);
        System.out.println("validation mean IoU per epoch, 1 worker: " + ious(oneWorker) + ", Spark local[2]: "
                + ious(onSpark) + "; Spark epoch seconds: " + onSpark.history().stream()
                .map(r -> String.format("%.1f", r.seconds())).toList());
        assertThat(Math.abs(sparkIoU - oneIoU)).isLessThanOrEqualTo(IOU_TOLERANCE);
    }

    /** The same data, epochs, batch size and constant learning rate with the single-machine trainer. */
    private static TrainingResult oneWorker(Path checkpoints) throws IOException {
        TrainingConfig config = TrainingConfig.of(EPOCHS, checkpoints).withSchedule(new LearningRateSchedule.Constant())
                .withMonitor(Monitor.maximize("meanIoU")).withProgressBar(false);
        try (PairedDataSetIterator train = dataset.trainIterator(PipelineConfig.training(SmallShapes.model(), BATCH, 3)
                .withAugment(AugmentPreset.NONE.config()));
             PairedDataSetIterator validation =
                     dataset.validationIterator(PipelineConfig.evaluation(SmallShapes.model(), BATCH))) {
            return new Trainer(config, Validator.segmentation())
                    .fit(UNet.build(SmallShapes.model()), train, validation);
        }
    }

    private static List<String> ious(TrainingResult result) {
        return result.history().stream().map(r -> String.format("%.3f", r.validation().get("meanIoU"))).toList();
    }

    private static double finalIoU(TrainingResult result) {
        return result.history().get(result.history().size() - 1).validation().get("meanIoU");
    }
}
