package io.github.mdunet.examples.bench;

import io.github.mdunet.app.AppCommand;
import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.OptionChecks;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.memoryuse.PeakMemorySampler;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.optim.TorchAdam;
import io.github.mdunet.core.train.EpochFitter;
import io.github.mdunet.core.train.EpochSteps;
import io.github.mdunet.core.train.LearningRateSchedule;
import io.github.mdunet.core.train.Trainer;
import io.github.mdunet.core.train.TrainingConfig;
import io.github.mdunet.core.train.Validator;
import io.github.mdunet.data.SegmentationDataset;
import io.github.mdunet.data.augment.AugmentConfig;
import io.github.mdunet.data.folder.Split;
import io.github.mdunet.data.pipeline.PairedDataSetIterator;
import io.github.mdunet.data.pipeline.PipelineConfig;
import io.github.mdunet.data.synthetic.SyntheticShapes;
import io.github.mdunet.parallel.DataParallel;
import io.github.mdunet.parallel.ParallelFitter;
import io.github.mdunet.parallel.SyncMode;
import io.github.mdunet.runtime.process.ChildJvm;
import io.github.mdunet.tuning.memory.EncoderShorthand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Throughput (training images per second) and resident memory of data-parallel training with 1, 2, ... workers on
 * this machine: each worker count in its own JVM, on the same synthetic data and U-Net, one untimed epoch first.
 * Memory is the process's peak resident memory during training over its baseline after the model is built.
 */
@Command(name = "scale-out-benchmark", mixinStandardHelpOptions = true,
        description = "Measures training throughput and memory with 1, 2, ... ParallelWrapper workers; --images are"
                + " the training images (an eighth more, at least a batch, are written to validate on), --batch is each"
                + " worker's.")
public final class ScaleOutBenchmark extends AppCommand {

    @Option(names = "--workers", split = ",", defaultValue = "1,2", description = "Worker counts to measure.")
    List<Integer> workers;

    /** The training images, their size, the batch of each worker step and the U-Net's encoder. */
    @Mixin
    SyntheticShapesOptions shapes = new SyntheticShapesOptions(64, 8, 96, 3, 16);

    @Option(names = "--epochs", description = "Timed epochs after one untimed.")
    int epochs = 2;

    @Option(names = "--sync", description = "${COMPLETION-CANDIDATES}.")
    SyncMode sync = SyncMode.AVERAGING;

    @Option(names = "--child", hidden = true)
    int child;

    /** How a child's result starts: it is the table row. */
    private static final String ROW_PREFIX = "| ";

    /** How long one worker count may run before it is stopped (the defaults take minutes). */
    private static final Duration CHILD_TIMEOUT = Duration.ofHours(2);

    public static void main(String[] args) {
        CommandLines.run(args, () -> CommandLines.of(new ScaleOutBenchmark()));
    }

    @Override
    public Integer call() throws Exception {
        checkOptions();
        if (child > 0) {
            System.out.println(measure(child));
            return 0;
        }
        List<String> rows = new ArrayList<>();
        for (int count : workers) {
            rows.add(inChild(count));
        }
        int side = shapes.size.side();
        System.out.printf(Locale.ROOT, "U-Net %s, %dx%d, batch %d per worker step, %d training images,"
                + " %d timed epochs, %s, %d cores%n",
                EncoderShorthand.classic(shapes.encoder.depth(), shapes.encoder.baseWidth()), side, side,
                shapes.batch, shapes.images, epochs, sync, Runtime.getRuntime().availableProcessors());
        System.out.println("| workers | img/s | s per timed epoch | baseline RSS MiB | peak RSS MiB"
                + " | peak over baseline MiB |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: |");
        rows.forEach(System.out::println);
        return 0;
    }

    /**
     * Refuses, before any child starts, a value no run can measure: each count and size at least 1, and an encoder too
     * deep for {@code --size}.
     */
    private void checkOptions() {
        for (int count : workers) {
            OptionChecks.atLeast(commandLine(), "--workers", count, 1);
        }
        shapes.check(commandLine());
        OptionChecks.atLeast(commandLine(), "--epochs", epochs, 1);
    }

    /** One table row for {@code count} workers, measured in a child JVM of its own. */
    private String inChild(int count) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("--child", String.valueOf(count), "--epochs",
                String.valueOf(epochs), "--sync", sync.name()));
        arguments.addAll(shapes.arguments());
        return new ChildJvm("the run with " + count + " worker(s)", List.of("-Xmx4g"), ScaleOutBenchmark.class,
                arguments, CHILD_TIMEOUT).run(ROW_PREFIX).line();
    }

    /** One table row for {@code count} workers, measured in this JVM. */
    private String measure(int count) throws Exception {
        Path data = ScratchFolders.deletedAtExit("mdunet-scale-out-");
        int images = shapes.images;
        int batch = shapes.batch;
        int side = shapes.size.side();
        int total = images + Math.max(batch, images / 8);
        SegmentationDataset dataset = SegmentationDataset.open(SyntheticShapes.write(data, total, side, 11)
                .withSplit(new Split.BySeed((double) (total - images) / total, 1)));
        UNetConfig model = shapes.model()
                .upsample(new UpsampleMode.PixelShuffle(false))
                .updater(new TorchAdam(1e-3))
                .build();
        UNet unet = UNet.build(model);
        PeakMemorySampler sampler = new PeakMemorySampler(Duration.ofMillis(20));
        EpochFitter inner = count == 1 ? EpochFitter.sequential()
                : new ParallelFitter(new DataParallel(count, sync, 1, 0));
        TimedFitter timed = new TimedFitter(inner);
        TrainingConfig training = TrainingConfig.of(1 + epochs, ScratchFolders.deletedAtExit("mdunet-scale-out-run-"))
                .withSchedule(new LearningRateSchedule.Constant()).withProgressBar(false);
        try (PairedDataSetIterator train = dataset.trainIterator(PipelineConfig.training(model, batch, 1)
                .withAugment(AugmentConfig.NONE).withPrefetch(2 * count, 1));
             PairedDataSetIterator validation = dataset.validationIterator(PipelineConfig.evaluation(model, batch))) {
            new Trainer(training, Validator.loss()).withFitter(timed).fit(unet, train, validation);
        }
        sampler.close();
        long baseline = sampler.baseline();
        long peak = sampler.peak();
        double seconds = timed.timedSeconds;
        double mib = 1024.0 * 1024.0;
        return String.format(Locale.ROOT, "| %d | %.2f | %.2f | %.0f | %.0f | %.0f |", count,
                dataset.training().size() * (double) epochs / seconds, seconds / epochs, baseline / mib,
                peak / mib, (peak - baseline) / mib);
    }

    /** Times every epoch after the first. */
    private static final class TimedFitter implements EpochFitter {
        private final EpochFitter inner;
        private int epochs;
        private double timedSeconds;

        TimedFitter(EpochFitter inner) {
            this.inner = inner;
        }

        @Override
        public void fitEpoch(UNet unet, DataSetIterator train, EpochSteps steps) {
            long start = System.nanoTime();
            inner.fitEpoch(unet, train, steps);
            if (epochs++ > 0) {
                timedSeconds += (System.nanoTime() - start) / 1e9;
            }
        }

        @Override
        public String describe() {
            return inner.describe();
        }
    }
}
