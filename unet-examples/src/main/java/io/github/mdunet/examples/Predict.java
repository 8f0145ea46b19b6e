package io.github.mdunet.examples;

import io.github.mdunet.app.BadInputException;
import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.ConsoleAppCommand;
import io.github.mdunet.app.ExitCode;
import io.github.mdunet.app.OptionChecks;
import io.github.mdunet.app.SkipBadFilesOption;
import io.github.mdunet.core.files.AtomicFiles;
import io.github.mdunet.core.metrics.SegmentationEvaluation;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.predict.MaskImages;
import io.github.mdunet.core.predict.TiledPredictor;
import io.github.mdunet.data.image.BadFileException;
import io.github.mdunet.examples.evaluate.ImagePredictor;
import io.github.mdunet.parallel.ParallelPredictor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Predicts masks with a saved segmentation U-Net (an image-to-image model is refused: {@code superres-predict}
 * applies those) for an image or a folder of images of any size (tiled). Outputs are named as
 * {@link PredictionInputs} says ({@code a_mask.png}, or {@code a_png_mask.png} and {@code a_jpg_mask.png} for inputs
 * that share a stem) and replace only an earlier run's ({@link PredictionFiles}). Every input's header is read before
 * anything is written: an image that cannot be read stops the run then, or, with {@code --skip-bad-files}, is left
 * out, as is one whose pixels fail to decode later; the run ends with "N of M" written and the list of those skipped.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Writes <name>_mask.png (class ids) and <name>_overlay.png for each input image, and with"
                + " --probabilities <name>_probabilities.npy.")
public final class Predict extends ConsoleAppCommand {

    private static final String MASK = "_mask.png";
    private static final String OVERLAY = "_overlay.png";
    private static final String PROBABILITIES = "_probabilities.npy";

    @CommandLine.Mixin
    PredictionFiles files = new PredictionFiles(Path.of("output", "predictions"), MASK, OVERLAY);

    @CommandLine.Mixin
    TileOverlapOptions tiles = new TileOverlapOptions();

    @CommandLine.Mixin
    ImageFramingOption framing = new ImageFramingOption();

    @CommandLine.Mixin
    TestTimeFlipsOption testTimeFlips = new TestTimeFlipsOption();

    @Option(names = "--probabilities", description = "Also write <name>" + PROBABILITIES + ": the probabilities the"
            + " mask is read from, float32 [K, H, W] at the image's size, as NumPy's numpy.load reads them.")
    boolean probabilities;

    @Option(names = "--workers", description = "Model copies predicting tiles at once, placed on the devices in"
            + " turn (e.g. one per GPU); 1 predicts one tile at a time.")
    int workers = 1;

    @CommandLine.Mixin
    SkipBadFilesOption skipBadFiles = new SkipBadFilesOption();

    @CommandLine.Mixin
    SignificantBitsOption significantBits = new SignificantBitsOption();

    public static void main(String[] args) {
        CommandLines.runMain(args, () -> CommandLines.of(new Predict()));
    }

    @Override
    public Integer call() throws Exception {
        tiles.check(commandLine());
        framing.check(commandLine());
        OptionChecks.atLeast(commandLine(), "--workers", workers, 1, "1 predicts one tile at a time");
        files.check(commandLine());
        Map<Path, String> names = files.outputNames();
        Map<Path, String> skipped = new LinkedHashMap<>(PredictionInputs.unreadable(names.keySet()));
        if (!skipped.isEmpty() && (!skipBadFiles.skip() || skipped.size() == names.size())) {
            throw new BadInputException(skipped.size() + " of the " + names.size() + " input image(s) cannot be read"
                    + " (nothing was written): " + (skipBadFiles.skip() ? "fix or replace them"
                    : "fix or remove them, or give --skip-bad-files to predict the others") + "\n  "
                    + skipped.entrySet().stream().map(entry -> entry.getKey() + ": " + entry.getValue())
                    .collect(Collectors.joining("\n  ")));
        }
        UNet unet = significantBits.applyTo(commandLine(), files.loadModel(), files.model());
        PredictionInputs.requireSegmentationModel(unet, files.model());
        framing.checkOverlap(commandLine(), unet);
        testTimeFlips.check(commandLine(), unet);
        tiles.checkFits(commandLine(), unet);
        if (workers > 1) {
            framing.requireTiles(commandLine(), unet, "--workers " + workers + " predicts an image's tiles on "
                    + workers + " model copies", "--workers");
        }
        // The files listed as this run's are those it sets out to write: not those of the images already skipped.
        Map<Path, String> readable = new LinkedHashMap<>(names);
        readable.keySet().removeAll(skipped.keySet());
        files.prepareOutput(readable, probabilities ? List.of(PROBABILITIES) : List.of());
        if (!probabilities) {
            PredictionInputs.reportStale(files.output, readable, List.of(PROBABILITIES));
        }
        int tileOverlap = ImagePredictor.tileOverlap(unet, tiles.overlap());
        try (ParallelPredictor parallel = workers > 1 ? ParallelPredictor.start(unet, workers) : null) {
            TiledPredictor tiled = parallel != null ? parallel.tiled(tileOverlap)
                    : unet.tiledPredictor(tileOverlap);
            predictAll(names, skipped, testTimeFlips.applyTo(new ImagePredictor(unet, tiled,
                    framing.framing(unet))));
        }
        files.reportWritten(names, skipped);
        return ExitCode.OK.code();
    }

    /**
     * Predicts every input but those {@code skipped}; with {@code --skip-bad-files}, an image whose pixels fail to
     * decode joins them, otherwise it stops the run, saying how many were written before it.
     */
    private void predictAll(Map<Path, String> names, Map<Path, String> skipped, ImagePredictor predictor)
            throws IOException {
        int written = 0;
        for (Map.Entry<Path, String> entry : names.entrySet()) {
            Path file = entry.getKey();
            if (skipped.containsKey(file)) {
                continue;
            }
            String name = entry.getValue();
            ImagePredictor.Prediction prediction;
            try {
                prediction = predictor.predict(file);
            } catch (BadFileException e) {
                if (!skipBadFiles.skip()) {
                    throw new BadInputException(e.getMessage() + " (" + written + " of " + names.size() + " image(s)"
                            + " written before it; --skip-bad-files predicts the others)", e);
                }
                skipped.put(file, e.problem());
                continue;
            }
            int[][] classIds = MaskImages.classIds(prediction.probabilities());
            // Each file whole or not at all: a killed run leaves no truncated mask for the next to take as its own.
            AtomicFiles.durable().writePng(files.outputFile(name, MASK), MaskImages.classIdImage(classIds,
                    SegmentationEvaluation.classesOf((int) prediction.probabilities().size(0))));
            // The picture as it was read (upright after its EXIF orientation), so the overlay matches the mask.
            AtomicFiles.durable().writePng(files.outputFile(name, OVERLAY),
                    MaskImages.overlay(prediction.picture(), classIds, 0.5));
            if (probabilities) {
                INDArray floats = prediction.probabilities().castTo(DataType.FLOAT);
                AtomicFiles.durable().write(files.outputFile(name, PROBABILITIES),
                        npy -> Nd4j.writeAsNumpy(floats, npy.toFile()));
            }
            written++;
            System.out.printf(Locale.ROOT, "%s -> %s%s, %s%s%s%n", file, name, MASK, name, OVERLAY,
                    probabilities ? ", " + name + PROBABILITIES : "");
        }
    }
}
