package io.github.mdunet.examples.superres;

import io.github.mdunet.app.AppCommand;
import io.github.mdunet.app.BadInputException;
import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.ExitCode;
import io.github.mdunet.core.files.AtomicFiles;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.image.SampleDepth;
import io.github.mdunet.data.superres.Resampling;
import io.github.mdunet.examples.PredictionFiles;
import io.github.mdunet.examples.PredictionInputs;
import io.github.mdunet.examples.SignificantBitsOption;
import io.github.mdunet.examples.TileOverlapOptions;
import io.github.mdunet.examples.evaluate.ImagePredictor;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Predicts images with a saved image-to-image U-Net (for example one trained by {@link SuperResolution}) for an
 * image or a folder of images of any size: upscaled bicubically first by the scale the model was trained at (recorded
 * in its file, {@code UNet.trainedUpscale()}; {@code --upscale} must agree with it), predicted in tiles, its pixel
 * normalisation undone, written as PNG ({@code <name>_out.png}, named as {@link PredictionInputs} says; 16-bit for a
 * 16-bit input).
 */
@Command(name = "predict-images", mixinStandardHelpOptions = true,
        description = "Writes <name>_out.png for each input image, predicted by an image-to-image U-Net.")
public final class PredictImages extends AppCommand {

    private static final String OUT = "_out.png";

    @CommandLine.Mixin
    PredictionFiles files = new PredictionFiles(Path.of("output", "predicted-images"), OUT);

    @Option(names = "--upscale", description = "Upscale each image bicubically by this factor before the model:"
            + " the scale it was trained at, which superres records in the model (the default, and the only value"
            + " accepted then); 1 for models whose input is the image itself. Needed for a model without a recorded"
            + " scale.")
    Integer upscale;

    @CommandLine.Mixin
    TileOverlapOptions tiles = new TileOverlapOptions();

    @CommandLine.Mixin
    SignificantBitsOption significantBits = new SignificantBitsOption();

    public static void main(String[] args) {
        CommandLines.run(args, () -> CommandLines.of(new PredictImages()));
    }

    @Override
    public Integer call() throws Exception {
        if (upscale != null && (upscale < 1 || upscale > 8)) {
            throw usage("--upscale must be in [1, 8] but was " + upscale
                    + " (the model's scale, e.g. --upscale 2; 1 for no upscaling)");
        }
        tiles.check(commandLine());
        files.check(commandLine());
        Map<Path, String> names = files.outputNames();
        UNet unet = significantBits.applyTo(commandLine(), files.loadModel(), files.model());
        if (!unet.config().head().regresses()) {
            throw new BadInputException("--model " + files.model() + " is a segmentation model (head "
                    + unet.config().head() + "): write its masks with mdunet predict");
        }
        tiles.checkFits(commandLine(), unet);
        int factor = upscaleFor(unet);
        files.prepareOutput(names);
        ImageToImagePredictor predictor = new ImageToImagePredictor(unet, tiles.overlap());
        int channels = unet.config().input().channels();
        for (Map.Entry<Path, String> entry : names.entrySet()) {
            Path file = entry.getKey();
            DecodedImage image = ImageFiles.readImage(file, channels, ImagePredictor.significantBits(unet));
            int height = image.height();
            int width = image.width();
            ImageFiles.requireArrayFits(file, channels + " channel(s) upscaled x" + factor, channels,
                    (long) height * factor, (long) width * factor, "upscale a smaller copy or a part of it");
            if (factor > 1) {
                image = Resampling.bicubic(image, height * factor, width * factor);
            }
            DecodedImage predicted = predictor.predict(image);
            Path target = files.outputFile(entry.getValue(), OUT);
            // A 16-bit input (a microscope's, a scientific camera's) gets a 16-bit output: its levels are kept.
            boolean sixteenBit = predicted.depth().container() == SampleDepth.Container.SIXTEEN_BIT;
            AtomicFiles.durable().writePng(target, predicted.toPictureAtDepth());
            System.out.printf(Locale.ROOT, "%s (%dx%d) -> %s (%dx%d%s)%n", file, width, height, target.getFileName(),
                    predicted.width(), predicted.height(),
                    sixteenBit ? ", " + predicted.depth() + " as its input" : "");
        }
        files.reportWritten(names);
        return ExitCode.OK.code();
    }

    /**
     * The factor the images are upscaled by: the model's recorded training scale, which {@code --upscale} may repeat
     * but not change (a model trained at x4 corrects the blur of a x4 upscaling, not of another); {@code --upscale}
     * for a model without one.
     */
    private int upscaleFor(UNet unet) {
        OptionalInt recorded = unet.trainedUpscale();
        if (recorded.isEmpty()) {
            if (upscale == null) {
                throw usage(files.model() + " records no training scale (saved before models recorded it, or not by"
                        + " superres): give --upscale, the scale it was trained at (e.g. --upscale 2; 1 for a model"
                        + " that reads the image itself)");
            }
            return upscale;
        }
        int trained = recorded.getAsInt();
        if (upscale != null && upscale != trained) {
            throw usage("--upscale " + upscale + " but " + files.model() + " was trained at x" + trained + ": its"
                    + " inputs were upscaled by " + trained + "; drop --upscale, or give --upscale " + trained);
        }
        System.out.printf(Locale.ROOT, "Upscaling each image x%d, the scale recorded in the model, before it%n",
                trained);
        return trained;
    }
}
