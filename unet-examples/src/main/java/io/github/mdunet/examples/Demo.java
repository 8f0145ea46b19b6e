package io.github.mdunet.examples;

import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.ConsoleAppCommand;
import io.github.mdunet.app.ExitCode;
import io.github.mdunet.app.OptionChecks;
import io.github.mdunet.app.RunFolder;
import io.github.mdunet.app.SquareSizeOption;
import io.github.mdunet.app.TrainingOptions;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.metrics.SegmentationEvaluation;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.optim.TorchAdam;
import io.github.mdunet.core.predict.ImageFraming;
import io.github.mdunet.core.train.EarlierRun;
import io.github.mdunet.core.train.EarlyStopping;
import io.github.mdunet.core.train.LearningRateSchedule;
import io.github.mdunet.core.train.Monitor;
import io.github.mdunet.core.train.Trainer;
import io.github.mdunet.core.train.TrainingConfig;
import io.github.mdunet.core.train.TrainingResult;
import io.github.mdunet.core.train.Validator;
import io.github.mdunet.data.SegmentationDataset;
import io.github.mdunet.data.folder.Split;
import io.github.mdunet.data.image.MaskEncoding;
import io.github.mdunet.data.pipeline.PairedDataSetIterator;
import io.github.mdunet.data.pipeline.PipelineConfig;
import io.github.mdunet.data.synthetic.SyntheticShapes;
import io.github.mdunet.examples.report.TrainingCurves;
import io.github.mdunet.zoo.training.FineTuning;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The default demo (the README's first command): generates the synthetic shapes dataset, trains a classic-encoder
 * U-Net on it, prints per-class IoU and {@code mean IoU: <value>} on the validation split, and writes prediction
 * overlays, the training curves and the run's report to the output folder. Runs from the IDE with no arguments.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Trains a U-Net on generated shapes and reports validation IoU, overlays and training curves.")
public final class Demo extends ConsoleAppCommand {

    @Option(names = "--output", description = "Output folder.")
    Path output = Path.of("output", "demo");

    @Option(names = "--images", description = "Generated images, 20%% kept for validation.")
    int images = 480;

    @CommandLine.Mixin
    SquareSizeOption size = new SquareSizeOption(64);

    @CommandLine.Mixin
    TrainingOptions training = new TrainingOptions(12, 16, 3e-3);

    @Option(names = "--seed", description = "Seed for data and weights.")
    long seed = 1;

    public static void main(String[] args) {
        CommandLines.runMain(args, () -> CommandLines.of(new Demo()));
    }

    @Override
    public Integer call() throws Exception {
        checkOptions();
        TrainingOptions.Values trainingValues = training.values();
        int batch = trainingValues.batch();
        long start = System.nanoTime();
        Path dataDirectory = output.resolve("data");
        int side = size.side();
        System.out.printf(Locale.ROOT, "Writing %d synthetic %dx%d images to %s%n", images, side, side,
                dataDirectory.toAbsolutePath());
        SegmentationDataset data = SegmentationDataset.open(SyntheticShapes.write(dataDirectory, images, side, seed)
                .withSplit(new Split.BySeed(0.2, seed)));

        UNetConfig model = UNetConfig.builder()
                .encoder(new ClassicEncoder(3, 16, Normalization.BATCH))
                .input(size.shape(3))
                .numClasses(SyntheticShapes.NUM_CLASSES)
                .upsample(new UpsampleMode.PixelShuffle(true))
                .channelReduction(ChannelReduction.EQ_SKIP)
                .updater(new TorchAdam(trainingValues.learningRate()))
                .seed(seed)
                .build();
        UNet unet = UNet.build(model);
        System.out.printf(Locale.ROOT, "U-Net with %,d parameters, %d training and %d validation images%n%s%n",
                unet.numParams(), data.training().size(), data.validation().size(), unet.channelPlan().toTable());

        Path checkpoints = RunFolder.checkpoints(output);
        Path overlays = output.resolve("overlays");
        setAsideEarlierRun(checkpoints, overlays);
        TrainingConfig schedule = TrainingConfig.of(trainingValues.epochs(), checkpoints)
                .withSchedule(LearningRateSchedule.OneCycle.fastai())
                .withMonitor(Monitor.maximize(Validator.MEAN_IOU))
                .withEarlyStopping(new EarlyStopping(4, 0.0));
        TrainingResult result;
        try (PairedDataSetIterator train = data.trainIterator(PipelineConfig.training(model, batch, seed));
             PairedDataSetIterator validation = data.validationIterator(PipelineConfig.evaluation(model, batch))) {
            result = new Trainer(schedule, Validator.segmentation()).fit(unet, train, validation);
        }
        UNet best = UNet.load(result.bestModel());

        SegmentationEvaluation evaluation = new SegmentationEvaluation(SyntheticShapes.NUM_CLASSES,
                SyntheticShapes.CLASS_NAMES, true, 0.5);
        try (PairedDataSetIterator validation = data.validationIterator(PipelineConfig.evaluation(model, batch))) {
            while (validation.hasNext()) {
                var batchData = validation.next();
                evaluation.eval(batchData.getLabels(), best.predict(batchData.getFeatures()));
            }
        }
        DemoPictures.writeOverlays(best, data.validation(), model, overlays, 8);
        Path curves = output.resolve(TrainingCurves.FILE_NAME);
        DemoPictures.writeCurves(result.history(), curves);
        // The shapes are drawn at the model's input size: no image needs framing.
        Path report = TrainingReports.write(spec(), output, result, data.validation(), new MaskEncoding.ClassIds(),
                SyntheticShapes.CLASS_NAMES, ImageFraming.TILES, start, 0);

        System.out.println();
        System.out.printf(Locale.ROOT, "Best epoch %d of %d (%s)%n", result.bestEpoch(), result.history().size(),
                result.stopReason());
        for (int k = 0; k < SyntheticShapes.NUM_CLASSES; k++) {
            System.out.printf(Locale.ROOT, "IoU %-10s %.4f%n", SyntheticShapes.CLASS_NAMES.get(k), evaluation.iou(k));
        }
        System.out.printf(Locale.ROOT, "pixel accuracy: %.4f%n", evaluation.pixelAccuracy());
        System.out.printf(Locale.ROOT, "Wrote %s, %s, the report %s and the best model %s%n",
                overlays.toAbsolutePath(), curves.toAbsolutePath(), report.toAbsolutePath(),
                result.bestModel().toAbsolutePath());
        System.out.printf(Locale.ROOT, "Total time %.1f s%n", (System.nanoTime() - start) / 1e9);
        System.out.printf(Locale.ROOT, "mean IoU: %.4f%n", evaluation.meanIoU());
        return 0;
    }

    /** Every option checked before any file is written ({@link ExitCode#BAD_OPTION}). */
    private void checkOptions() {
        // The classic encoder of depth 3 halves the input three times: 8 pixels is the least it takes.
        size.check(commandLine(), 8);
        OptionChecks.atLeast(commandLine(), "--images", images, 5);
        training.check(commandLine());
        OptionChecks.outputFolder(commandLine(), "--output", output);
    }

    /**
     * A fresh run: an earlier run's checkpoints would otherwise be resumed. They are moved to
     * {@code checkpoints-previous-<date>-<time>}, not deleted ({@code --output} may name a folder of another run), and
     * its overlays with them, so that {@code overlays} holds this run's only (the images drawn differ from run to run).
     */
    private static void setAsideEarlierRun(Path checkpoints, Path overlays) throws java.io.IOException {
        Optional<EarlierRun> earlier = EarlierRun.in(checkpoints, List.of(FineTuning.FROZEN_STAGE));
        if (earlier.isPresent()) {
            Path aside = earlier.get().setAside();
            if (java.nio.file.Files.isDirectory(overlays)) {
                java.nio.file.Files.move(overlays, aside.resolve(overlays.getFileName()));
            }
            System.out.println("The earlier run's checkpoints and overlays are now in " + aside);
        }
    }
}
