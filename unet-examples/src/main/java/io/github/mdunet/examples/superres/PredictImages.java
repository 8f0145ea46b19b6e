package io.github.mdunet.examples.superres;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.superres.Resampling;
import io.github.mdunet.examples.BadInputException;
import io.github.mdunet.examples.CommandLines;
import io.github.mdunet.examples.ExitCode;
import io.github.mdunet.examples.OptionChecks;
import io.github.mdunet.examples.PredictionInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * Predicts images with a saved image-to-image U-Net (for example one trained by {@link SuperResolution}) for an
 * image or a folder of images of any size: optionally upscaled bicubically first (a super-resolution model's input),
 * predicted in tiles, its pixel normalisation undone, written as PNG ({@code <name>_out.png}, named as
 * {@link PredictionInputs} says).
 */
@Command(name = "predict-images", mixinStandardHelpOptions = true,
        description = "Writes <name>_out.png for each input image, predicted by an image-to-image U-Net.")
public final class PredictImages implements Callable<Integer> {

    private static final String OUT = "_out.png";

    @Option(names = "--model", required = true, description = "A model saved by UNet.save (e.g. best.zip).")
    Path model;

    @Option(names = "--input", required = true, description = "An image file or a folder of images.")
    Path input;

    @Option(names = "--output", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path output = Path.of("output", "predicted-images");

    @Option(names = "--upscale", description = "Upscale each image bicubically by this factor before the model"
            + " (a super-resolution model's scale); 1 for models whose input is the image itself"
            + " (default: ${DEFAULT-VALUE}).")
    int upscale = 2;

    @Option(names = "--overlap", description = "Tile overlap in pixels (default: ${DEFAULT-VALUE}).")
    int overlap = 16;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CommandLines.run(args, () -> CommandLines.of(new PredictImages()));
    }

    @Override
    public Integer call() throws Exception {
        if (upscale < 1 || upscale > 8) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--upscale must be in [1, 8] but was "
                    + upscale + " (the model's scale, e.g. --upscale 2; 1 for no upscaling)");
        }
        OptionChecks.atLeast(spec.commandLine(), "--overlap", overlap, 0, "e.g. --overlap 16");
        Map<Path, String> names = PredictionInputs.outputNames(PredictionInputs.imagesIn(input), OUT);
        UNet unet = PredictionInputs.load(model);
        if (!unet.config().head().regresses()) {
            throw new BadInputException("--model " + model + " is a segmentation model (head "
                    + unet.config().head() + "): use Predict for masks");
        }
        Files.createDirectories(output);
        PredictionInputs.reportReplaced(output, names, List.of(OUT));
        ImageToImagePredictor predictor = new ImageToImagePredictor(unet, overlap);
        int channels = unet.config().input().channels();
        for (Map.Entry<Path, String> entry : names.entrySet()) {
            Path file = entry.getKey();
            DecodedImage image = ImageFiles.readImage(file, channels);
            int height = image.height();
            int width = image.width();
            if (upscale > 1) {
                image = Resampling.bicubic(image, height * upscale, width * upscale);
            }
            DecodedImage predicted = predictor.predict(image);
            Path target = output.resolve(entry.getValue() + OUT);
            ImageIO.write(predicted.toPicture(), "png", target.toFile());
            System.out.printf(Locale.ROOT, "%s (%dx%d) -> %s (%dx%d)%n", file, width, height, target.getFileName(),
                    predicted.width(), predicted.height());
        }
        System.out.printf(Locale.ROOT, "%d image(s) written to %s%n", names.size(), output.toAbsolutePath());
        return ExitCode.OK.code();
    }
}
