package io.github.mdunet.examples;

import io.github.mdunet.app.ClassIdRemedy;
import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.ConsoleAppCommand;
import io.github.mdunet.app.ExitCode;
import io.github.mdunet.app.MaskFileOptions;
import io.github.mdunet.app.OptionChecks;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.train.Trainer;
import io.github.mdunet.data.SegmentationDataset;
import io.github.mdunet.data.folder.SegmentationFolderConfig;
import io.github.mdunet.data.image.ClassIdRangeException;
import io.github.mdunet.data.image.MaskEncoding;
import io.github.mdunet.examples.evaluate.EvaluationFiles;
import io.github.mdunet.examples.evaluate.EvaluationResult;
import io.github.mdunet.examples.evaluate.FolderEvaluation;
import io.github.mdunet.examples.evaluate.ImagePredictor;
import io.github.mdunet.examples.report.EvaluationSection;
import io.github.mdunet.examples.report.HtmlReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Scores a saved segmentation U-Net (an image-to-image model is refused) on a labelled folder ({@code images/} +
 * {@code masks/}, as {@link TrainFolder} reads it), each image at its own size: per-class IoU, Dice, precision and
 * recall, mean IoU, pixel accuracy, the confusion matrix as a table and a picture, each image's scores and the worst
 * images' overlays, written to the output folder with an HTML page of it all ({@value #REPORT}); a note names the
 * files of an earlier evaluation there that it replaces. Masks with class ids the model does not predict are named
 * with the largest id and the model that would read them.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Scores a saved model on a labelled folder: per-class IoU, Dice, precision and recall, mean IoU,"
                + " pixel accuracy, confusion matrix (table and PNG), per-image scores and the worst images' overlays.")
public final class Evaluate extends ConsoleAppCommand {

    static final String REPORT = "evaluation.html";

    @Option(names = "--model", required = true, description = "A model saved by training (e.g. " + Trainer.BEST
            + ").")
    Path model;

    @Mixin
    LabelledFolderOption data = new LabelledFolderOption();

    @Mixin
    MaskFileOptions masks = new MaskFileOptions();

    @Option(names = "--output", description = "Where the tables, pictures and " + REPORT + " go.")
    Path output = Path.of("output", "evaluate");

    @Option(names = "--worst", description = "Overlays of this many lowest-scoring images; 0 for none.")
    int worst = 8;

    @Mixin
    TileOverlapOptions tiles = new TileOverlapOptions();

    @Mixin
    ImageFramingOption framing = new ImageFramingOption();

    @Mixin
    TestTimeFlipsOption testTimeFlips = new TestTimeFlipsOption();

    @Mixin
    SignificantBitsOption significantBits = new SignificantBitsOption();

    public static void main(String[] args) {
        CommandLines.runMain(args, () -> CommandLines.of(new Evaluate()));
    }

    @Override
    public Integer call() throws IOException {
        OptionChecks.atLeast(commandLine(), "--worst", worst, 0, "0 draws no overlay");
        tiles.check(commandLine());
        framing.check(commandLine());
        OptionChecks.outputFolder(commandLine(), "--output", output);
        long start = System.nanoTime();
        UNet unet = significantBits.applyTo(commandLine(), PredictionInputs.load(model), model);
        PredictionInputs.requireSegmentationModel(unet, model);
        framing.checkOverlap(commandLine(), unet);
        testTimeFlips.check(commandLine(), unet);
        tiles.checkFits(commandLine(), unet);
        int classes = FolderEvaluation.classesOf(unet);
        masks.check(commandLine(), classes);
        MaskEncoding encoding = masks.encoding();
        SegmentationDataset dataset = ClassIdRemedy.applyTo(() -> SegmentationDataset.open(SegmentationFolderConfig
                        .of(data.path(), classes).withEncoding(encoding)
                        .withImageChannels(unet.config().input().channels())
                        .withSignificantBits(ImagePredictor.significantBits(unet)), masks.badSamples()),
                stray -> modelRemedy(stray, classes));
        PredictionInputs.reportReplaced(output, EvaluationFiles.earlierFiles(output, List.of(REPORT)));
        FolderEvaluation evaluation = testTimeFlips.applyTo(new FolderEvaluation(unet, encoding, tiles.overlap(),
                framing.framing(unet)));
        EvaluationResult result = evaluation.evaluate(dataset.training(), FolderEvaluation.numberedClasses(classes));
        EvaluationFiles.Pictures pictures = EvaluationFiles.write(result, evaluation, worst, output);
        HtmlReport report = new HtmlReport("mdunet evaluate: " + model.getFileName() + " on " + data.path());
        report.definitions("options", OptionValues.of(spec()));
        EvaluationSection.add(report, "The model on the " + result.images().size() + " images of " + data.path(),
                result, pictures);
        report.write(output.resolve(REPORT));
        System.out.println(result.total().stats());
        System.out.printf(Locale.ROOT, "%d image(s) in %.1f s; tables, confusion-matrix.png, %s and %s written to"
                        + " %s%n", result.images().size(), (System.nanoTime() - start) / 1e9,
                worst > 0 ? "the worst " + pictures.worst().size() + " overlays" : "no overlay", REPORT,
                output.toAbsolutePath());
        System.out.printf(Locale.ROOT, "mean IoU: %.4f%n", result.total().meanIoU());
        return ExitCode.OK.code();
    }

    /**
     * The fix for masks with ids the model does not predict: its classes are its own, so another model, or the ids
     * left out.
     */
    static String modelRemedy(ClassIdRangeException stray, int classes) {
        String predicts = "the model predicts " + classes + " classes (ids 0 to " + (classes - 1) + ")";
        String model = "a model trained with --classes " + (stray.largestId() + 1) + " or more";
        if (stray.binaryMask().isPresent()) {
            return predicts + ", and " + ClassIdRemedy.binaryFix(stray.binaryMask().get()) + "; or, if "
                    + stray.largestId() + " is a class id, use " + model;
        }
        return predicts + ": use " + model + ", or " + (stray.storedIds() ? ClassIdRemedy.ignoring(stray)
                : "map those " + ClassIdRemedy.mapped(stray) + " to ids below " + classes);
    }
}
