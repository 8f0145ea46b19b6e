package io.github.mdunet.examples;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.predict.MaskImages;
import io.github.mdunet.core.predict.TiledPredictor;
import io.github.mdunet.parallel.ParallelPredictor;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.image.PixelNormalizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import io.github.mdunet.examples.console.ConsoleOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Predicts masks with a saved U-Net for an image or a folder of images of any size (tiled). Outputs are named as
 * {@link PredictionInputs} says ({@code a_mask.png}, or {@code a_png_mask.png} and {@code a_jpg_mask.png} for inputs
 * that share a stem).
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Writes <name>_mask.png (class ids) and <name>_overlay.png for each input image.")
public final class Predict implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "A model saved by UNet.save (e.g. best.zip).")
    Path model;

    @Option(names = "--input", required = true, description = "An image file or a folder of images.")
    Path input;

    @Option(names = "--output", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path output = Path.of("output", "predictions");

    @Option(names = "--overlap", description = "Tile overlap in pixels for images larger than the model's input"
            + " (default: ${DEFAULT-VALUE}).")
    int overlap = 16;

    @Option(names = "--workers", description = "Model copies predicting tiles at once (DL4J's ParallelInference), e.g."
            + " one per GPU; 1 predicts one tile at a time (default: ${DEFAULT-VALUE}).")
    int workers = 1;

    @CommandLine.Mixin
    ConsoleOptions console = new ConsoleOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CommandLines.runMain(args, () -> CommandLines.of(new Predict()));
    }

    @Override
    public Integer call() throws Exception {
        OptionChecks.atLeast(spec.commandLine(), "--overlap", overlap, 0, "e.g. --overlap 16");
        OptionChecks.atLeast(spec.commandLine(), "--workers", workers, 1, "1 predicts one tile at a time");
        Map<Path, String> names = PredictionInputs.outputNames(PredictionInputs.imagesIn(input), "_mask.png");
        UNet unet = PredictionInputs.load(model);
        Files.createDirectories(output);
        PredictionInputs.reportReplaced(output, names, List.of("_mask.png", "_overlay.png"));
        int tileOverlap = Math.min(overlap,
                Math.min(unet.config().input().height(), unet.config().input().width()) / 2);
        try (ParallelPredictor parallel = workers > 1 ? ParallelPredictor.start(unet, workers) : null) {
            TiledPredictor predictor = parallel != null ? parallel.tiled(tileOverlap)
                    : TiledPredictor.of(unet, tileOverlap);
            predictAll(names, unet, predictor);
        }
        System.out.printf(Locale.ROOT, "%d image(s) written to %s%n", names.size(), output.toAbsolutePath());
        return ExitCode.OK.code();
    }

    private void predictAll(Map<Path, String> names, UNet unet, TiledPredictor predictor) throws IOException {
        int channels = unet.config().input().channels();
        PixelNormalizer normalizer = new PixelNormalizer(unet.config().encoder().inputNormalization());
        for (Map.Entry<Path, String> entry : names.entrySet()) {
            Path file = entry.getKey();
            String name = entry.getValue();
            DecodedImage image = ImageFiles.readImage(file, channels);
            int plane = image.height() * image.width();
            float[] normalized = new float[channels * plane];
            normalizer.normalize(image.pixels(), channels, plane, normalized, 0);
            INDArray probabilities = predictor.predict(Nd4j.create(normalized, channels, image.height(),
                    image.width()));
            int[][] classIds = MaskImages.classIds(probabilities);
            ImageIO.write(MaskImages.classIdImage(classIds), "png", output.resolve(name + "_mask.png").toFile());
            // The picture as it was read (upright after its EXIF orientation), so the overlay matches the mask.
            DecodedImage picture = channels == 3 ? image : ImageFiles.readImage(file, 3);
            ImageIO.write(MaskImages.overlay(picture.toPicture(), classIds, 0.5), "png",
                    output.resolve(name + "_overlay.png").toFile());
            System.out.printf(Locale.ROOT, "%s -> %s_mask.png, %s_overlay.png%n", file, name, name);
        }
    }
}
