package io.github.mdunet.examples.superres;

import io.github.mdunet.app.AppCommand;
import io.github.mdunet.app.BadInputException;
import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.ExitCode;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.superres.Resampling;
import io.github.mdunet.examples.PredictionFiles;
import io.github.mdunet.examples.PredictionInputs;
import io.github.mdunet.examples.TileOverlapOptions;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Predicts images with a saved image-to-image U-Net (for example one trained by {@link SuperResolution}) for an
 * image or a folder of images of any size: optionally upscaled bicubically first (a super-resolution model's input),
 * predicted in tiles, its pixel normalisation undone, written as PNG ({@code <name>_out.png}, named as
 * {@link PredictionInputs} says).
 */
@Command(name = "predict-images", mixinStandardHelpOptions = true,
        description = "Writes <name>_out.png for each input image, predicted by an image-to-image U-Net.")
public final class PredictImages extends AppCommand {

    private static final String OUT = "_out.png";

    @CommandLine.Mixin
    PredictionFiles files = new PredictionFiles(Path.of("output", "predicted-images"), OUT);

    @Option(names = "--upscale", description = "Upscale each image bicubically by this factor before the model"
            + " (a super-resolution model's scale); 1 for models whose input is the image itself.")
    int upscale = 2;

    @CommandLine.Mixin
    TileOverlapOptions tiles = new TileOverlapOptions();

    public static void main(String[] args) {
        CommandLines.run(args, () -> CommandLines.of(new PredictImages()));
    }

    @Override
    public Integer call() throws Exception {
        if (upscale < 1 || upscale > 8) {
            throw usage("--upscale must be in [1, 8] but was " + upscale
                    + " (the model's scale, e.g. --upscale 2; 1 for no upscaling)");
        }
        tiles.check(commandLine());
        Map<Path, String> names = files.outputNames();
        UNet unet = files.loadModel();
        if (!unet.config().head().regresses()) {
            throw new BadInputException("--model " + files.model() + " is a segmentation model (head "
                    + unet.config().head() + "): use Predict for masks");
        }
        files.prepareOutput(names);
        ImageToImagePredictor predictor = new ImageToImagePredictor(unet, tiles.overlap());
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
            Path target = files.outputFile(entry.getValue(), OUT);
            ImageIO.write(predicted.toPicture(), "png", target.toFile());
            System.out.printf(Locale.ROOT, "%s (%dx%d) -> %s (%dx%d)%n", file, width, height, target.getFileName(),
                    predicted.width(), predicted.height());
        }
        files.reportWritten(names);
        return ExitCode.OK.code();
    }
}
