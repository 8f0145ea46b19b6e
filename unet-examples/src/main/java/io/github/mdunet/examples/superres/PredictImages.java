package io.github.mdunet.examples.superres;

import io.github.mdunet.core.cpu.CpuAcceleration;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.nativememory.NativeMemoryLimits;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.superres.Resampling;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Predicts images with a saved image-to-image U-Net (for example one trained by {@link SuperResolution}) for an
 * image or a folder of images of any size: optionally upscaled bicubically first (a super-resolution model's input),
 * predicted in tiles, its pixel normalisation undone, written as PNG.
 */
@Command(name = "predict-images", mixinStandardHelpOptions = true,
        description = "Writes <name>_out.png for each input image, predicted by an image-to-image U-Net.")
public final class PredictImages implements Callable<Integer> {

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

    public static void main(String[] args) {
        NativeMemoryLimits.raiseForApplication(); // before anything loads JavaCPP
        CpuAcceleration.configure();
        System.exit(new CommandLine(new PredictImages()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (upscale < 1 || upscale > 8) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--upscale must be in [1, 8] but was "
                    + upscale);
        }
        UNet unet = UNet.load(model);
        if (!unet.config().head().regresses()) {
            throw new CommandLine.ParameterException(new CommandLine(this), model + " is a segmentation model (head "
                    + unet.config().head() + "): use Predict for masks");
        }
        List<Path> images = imagesIn(input);
        Files.createDirectories(output);
        ImageToImagePredictor predictor = new ImageToImagePredictor(unet, overlap);
        int channels = unet.config().input().channels();
        for (Path file : images) {
            DecodedImage image = ImageFiles.readImage(file, channels);
            if (upscale > 1) {
                image = Resampling.bicubic(image, image.height() * upscale, image.width() * upscale);
            }
            DecodedImage predicted = predictor.predict(image);
            Path target = output.resolve(ImageFiles.stem(file) + "_out.png");
            ImageIO.write(ImageToImagePredictor.toPicture(predicted), "png", target.toFile());
            System.out.printf(Locale.ROOT, "%s (%dx%d) -> %s (%dx%d)%n", file, image.width() / upscale,
                    image.height() / upscale, target.getFileName(), predicted.width(), predicted.height());
        }
        System.out.printf(Locale.ROOT, "%d image(s) written to %s%n", images.size(), output.toAbsolutePath());
        return 0;
    }

    private static List<Path> imagesIn(Path input) throws java.io.IOException {
        if (Files.isRegularFile(input)) {
            return List.of(input);
        }
        if (!Files.isDirectory(input)) {
            throw new NoSuchFileException(input.toString(), null, "no image or folder there");
        }
        List<Path> images = new ArrayList<>();
        try (var files = Files.list(input)) {
            files.filter(f -> ImageFiles.IMAGE_EXTENSIONS.contains(ImageFiles.extension(f))).sorted()
                    .forEach(images::add);
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException(input + " holds no image (" + ImageFiles.IMAGE_EXTENSIONS + ")");
        }
        return images;
    }
}
