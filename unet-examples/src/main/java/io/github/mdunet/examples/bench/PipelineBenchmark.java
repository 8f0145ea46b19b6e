package io.github.mdunet.examples.bench;

import io.github.mdunet.app.AppCommand;
import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.OptionChecks;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.data.SegmentationDataset;
import io.github.mdunet.data.augment.AugmentConfig;
import io.github.mdunet.data.folder.SegmentationFolderConfig;
import io.github.mdunet.data.pipeline.PairedDataSetIterator;
import io.github.mdunet.data.pipeline.PipelineConfig;
import io.github.mdunet.data.synthetic.SyntheticShapes;
import io.github.mdunet.runtime.cpu.CpuAcceleration;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.nd4j.linalg.dataset.DataSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Loading speed versus training speed (a benchmark, not a test).
 *
 * <p>Writes synthetic PNGs larger than the crop, then times the pipeline (decode, joint augmentation with random
 * scale/crop/flips/turns/jitter, normalisation, one-hot, batching) at {@code size x size}, batch {@code batch}, with
 * 1 and 2 prefetch threads; then builds a U-Net on a classic encoder, by default ResNet50-sized
 * ({@code ClassicEncoder(5, 32)}: about 19 M encoder parameters and 5.2 GMAC per 256x256 image, against ResNet50's
 * 23.5 M and 5.4 GMAC) and trains it from the prefetching iterator, timing the training steps and the time
 * {@code next()} blocks between them.
 *
 * <p>{@code --steps 0} times the pipeline only.
 */
@Command(name = "pipeline-benchmark", mixinStandardHelpOptions = true,
        description = "Times the loading pipeline on synthetic PNG pairs with 1 and 2 prefetch threads, then training"
                + " steps fed by it, and how long each step waited for data.")
public final class PipelineBenchmark extends AppCommand {

    @Mixin
    SyntheticShapesOptions shapes = new SyntheticShapesOptions(256, 8, 48, 5, 32);

    @Option(names = "--batches", description = "Batches timed per prefetch setting.")
    int batches = 40;

    @Option(names = "--steps", description = "Training steps timed after one untimed; 0 times the pipeline only.")
    int steps = 3;

    public static void main(String[] args) {
        CommandLines.run(args, () -> CommandLines.of(new PipelineBenchmark()));
    }

    @Override
    public Integer call() throws IOException {
        shapes.check(commandLine());
        OptionChecks.atLeast(commandLine(), "--batches", batches, 1);
        OptionChecks.atLeast(commandLine(), "--steps", steps, 0);
        int size = shapes.size.side();
        int batch = shapes.batch;
        int sourceSize = size * 5 / 4;

        Path dir = ScratchFolders.deletedAtExit("unet-data-bench");
        long start = System.nanoTime();
        SegmentationFolderConfig folder = SyntheticShapes.write(dir, shapes.images, sourceSize, 1);
        System.out.printf(Locale.ROOT, "wrote %d synthetic %dx%d PNG pairs in %.1f s to %s%n", shapes.images,
                sourceSize, sourceSize, seconds(start), dir);
        start = System.nanoTime();
        SegmentationDataset data = SegmentationDataset.open(folder);
        System.out.printf(Locale.ROOT, "validation pass: %d pairs in %.2f s%n", data.training().size(), seconds(start));

        UNetConfig model = shapes.model().build();
        PipelineConfig pipeline = PipelineConfig.training(model, batch, 1).withAugment(AugmentConfig.standard());

        double[] batchesPerSecond = new double[3];
        for (int workers = 1; workers <= 2; workers++) {
            try (PairedDataSetIterator iterator = data.trainIterator(pipeline.withPrefetch(4, workers))) {
                consume(iterator, 3);
                long t0 = System.nanoTime();
                consume(iterator, batches);
                batchesPerSecond[workers] = batches / seconds(t0);
            }
            System.out.printf(Locale.ROOT, "pipeline, %d prefetch thread(s): %.2f batches/s = %.1f images/s"
                            + " (%dx%d, batch %d, standard augmentation)%n", workers, batchesPerSecond[workers],
                    batchesPerSecond[workers] * batch, size, size, batch);
        }

        if (steps == 0) {
            return 0;
        }
        System.out.println(CpuAcceleration.configure().describe());
        UNet unet = UNet.build(model);
        System.out.printf(Locale.ROOT, "U-Net on ClassicEncoder(%d, %d): %.1f M parameters, encoder %.2f GMAC per"
                        + " image at %dx%d (ResNet50: 23.5 M encoder parameters, %.2f GMAC)%n", shapes.encoder.depth(),
                shapes.encoder.baseWidth(), unet.numParams() / 1e6,
                classicEncoderGmac(shapes.encoder.depth(), shapes.encoder.baseWidth(), size), size, size,
                4.1 * size * size / (224.0 * 224.0));
        double stepSeconds = 0;
        double waitSeconds = 0;
        try (PairedDataSetIterator iterator = data.trainIterator(pipeline.withPrefetch(2, 1))) {
            unet.graph().fit(nextOf(iterator)); // warm-up: workspaces, oneDNN primitives
            for (int step = 0; step < steps; step++) {
                long t0 = System.nanoTime();
                DataSet next = nextOf(iterator);
                long t1 = System.nanoTime();
                unet.graph().fit(next);
                long t2 = System.nanoTime();
                waitSeconds += (t1 - t0) / 1e9;
                stepSeconds += (t2 - t1) / 1e9;
                System.out.printf(Locale.ROOT, "  training step %d: %.2f s (waited %.3f s for data)%n", step + 1,
                        (t2 - t1) / 1e9, (t1 - t0) / 1e9);
            }
        }
        double step = stepSeconds / steps;
        System.out.printf(Locale.ROOT, "training: %.2f s per step of %d images = %.2f batches/s; waited for data"
                + " %.1f%% of the time%n", step, batch, 1 / step, 100 * waitSeconds / (waitSeconds + stepSeconds));
        System.out.printf(Locale.ROOT, "pipeline / training speed: %.0fx with 1 prefetch thread (%.2f vs %.3f"
                + " batches/s)%n", batchesPerSecond[1] * step, batchesPerSecond[1], 1 / step);
        System.out.printf(Locale.ROOT, "a GPU step would have to take under %.0f ms for 1 prefetch thread to fall"
                + " behind (%.0f ms with 2)%n", 1000 / batchesPerSecond[1], 1000 / batchesPerSecond[2]);
        return 0;
    }

    /** Multiply-accumulates of the classic encoder's 3x3 convolutions, in GMAC, for a 3-channel square input. */
    static double classicEncoderGmac(int depth, int baseWidth, int size) {
        double macs = 0;
        int in = 3;
        for (int stage = 0; stage <= depth; stage++) {
            int width = baseWidth << stage;
            double pixels = Math.pow(size >> stage, 2);
            macs += pixels * 9 * ((double) in * width + (double) width * width);
            in = width;
        }
        return macs / 1e9;
    }

    private static DataSet nextOf(PairedDataSetIterator iterator) {
        if (!iterator.hasNext()) {
            iterator.reset();
        }
        return iterator.next();
    }

    private static void consume(PairedDataSetIterator iterator, int count) {
        for (int i = 0; i < count; i++) {
            nextOf(iterator);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
