package io.github.mdunet.examples.bench;

import io.github.mdunet.app.AppCommand;
import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.OptionChecks;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.metrics.SegmentationEvaluation;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.optim.TorchAdam;
import io.github.mdunet.data.SegmentationDataset;
import io.github.mdunet.data.augment.AugmentConfig;
import io.github.mdunet.data.folder.Split;
import io.github.mdunet.data.pipeline.PairedDataSetIterator;
import io.github.mdunet.data.pipeline.PipelineConfig;
import io.github.mdunet.data.synthetic.SyntheticShapes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.IntStream;
import org.nd4j.linalg.dataset.DataSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Checks that the synthetic shapes are learnable (an app, not a test): trains a classic-encoder U-Net on
 * {@link SyntheticShapes} through the folder loader and prints the validation mean IoU after each epoch, until
 * a time budget runs out.
 */
@Command(name = "synthetic-training-check", mixinStandardHelpOptions = true,
        description = "Trains a classic-encoder U-Net on synthetic shapes through the folder pipeline and prints the"
                + " validation mean IoU and per-class IoU after each epoch.")
public final class SyntheticTrainingCheck extends AppCommand {

    @Mixin
    SyntheticShapesOptions shapes = new SyntheticShapesOptions(64, 16, 480, 3, 16);

    @Option(names = "--epochs", description = "Training epochs at most.")
    int epochs = 30;

    @Option(names = "--minutes", description = "Time budget: no epoch starts after this many minutes; 0 stops after"
            + " the first.")
    int minutes = 5;

    public static void main(String[] args) {
        CommandLines.run(args, () -> CommandLines.of(new SyntheticTrainingCheck()));
    }

    @Override
    public Integer call() throws IOException {
        shapes.check(commandLine());
        OptionChecks.atLeast(commandLine(), "--epochs", epochs, 1);
        OptionChecks.atLeast(commandLine(), "--minutes", minutes, 0);
        int size = shapes.size.side();
        Path dir = ScratchFolders.deletedAtExit("unet-data-shapes");
        SegmentationDataset data = SegmentationDataset.open(SyntheticShapes.write(dir, shapes.images, size, 1)
                .withSplit(new Split.BySeed(0.2, 1)));
        UNetConfig model = shapes.model().updater(new TorchAdam(2e-3)).build();
        UNet unet = UNet.build(model);
        System.out.printf(Locale.ROOT, "%d training, %d validation images of %dx%d; U-Net on ClassicEncoder(%d, %d),"
                        + " %.2f M parameters%n", data.training().size(), data.validation().size(), size, size,
                shapes.encoder.depth(), shapes.encoder.baseWidth(), unet.numParams() / 1e6);
        PipelineConfig training = PipelineConfig.training(model, shapes.batch, 1)
                .withAugment(AugmentConfig.standard().withScale(0.8, 1.25));
        long start = System.nanoTime();
        try (PairedDataSetIterator train = data.trainIterator(training);
             PairedDataSetIterator validation = data.validationIterator(PipelineConfig.evaluation(model, 32))) {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                unet.graph().fit(train);
                train.reset();
                SegmentationEvaluation evaluation = evaluate(unet, validation);
                double elapsed = (System.nanoTime() - start) / 60e9;
                System.out.printf(Locale.ROOT, "epoch %2d  %.1f min  validation mIoU %.3f  per class %s%n", epoch,
                        elapsed, evaluation.meanIoU(), IntStream.range(0, SyntheticShapes.NUM_CLASSES)
                                .mapToObj(k -> String.format(Locale.ROOT, "%.3f", evaluation.iou(k))).toList());
                if (elapsed > minutes) {
                    break;
                }
            }
        }
        return 0;
    }

    /** The validation images' confusion over the shapes' classes (argmax of the softmax). */
    static SegmentationEvaluation evaluate(UNet unet, PairedDataSetIterator validation) {
        SegmentationEvaluation evaluation = new SegmentationEvaluation(SyntheticShapes.NUM_CLASSES);
        validation.reset();
        while (validation.hasNext()) {
            DataSet batch = validation.next();
            evaluation.eval(batch.getLabels(), unet.predict(batch.getFeatures()));
        }
        return evaluation;
    }
}
