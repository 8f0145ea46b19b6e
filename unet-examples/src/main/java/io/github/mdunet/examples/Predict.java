package io.github.mdunet.examples;

import io.github.mdunet.core.cpu.CpuAcceleration;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.nativememory.NativeMemoryLimits;
import io.github.mdunet.core.predict.MaskImages;
import io.github.mdunet.core.predict.TiledPredictor;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.image.PixelNormalizer;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Predicts masks with a saved U-Net for an image or a folder of images of any size (tiled). */
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

    public static void main(String[] args) {
        NativeMemoryLimits.raiseForApplication(); // before anything loads JavaCPP
        CpuAcceleration.configure();
        System.exit(new CommandLine(new Predict()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        UNet unet = UNet.load(model);
        List<Path> images = imagesIn(input);
        Files.createDirectories(output);
        int channels = unet.config().input().channels();
        PixelNormalizer normalizer = new PixelNormalizer(unet.config().encoder().inputNormalization());
        TiledPredictor predictor = TiledPredictor.of(unet, Math.min(overlap,
                Math.min(unet.config().input().height(), unet.config().input().width()) / 2));
        for (Path file : images) {
            DecodedImage image = ImageFiles.readImage(file, channels);
            int plane = image.height() * image.width();
            float[] normalized = new float[channels * plane];
            normalizer.normalize(image.pixels(), channels, plane, normalized, 0);
            INDArray probabilities = predictor.predict(Nd4j.create(normalized, channels, image.height(),
                    image.width()));
            int[][] classIds = MaskImages.classIds(probabilities);
            String stem = ImageFiles.stem(file);
            ImageIO.write(MaskImages.classIdImage(classIds), "png", output.resolve(stem + "_mask.png").toFile());
            BufferedImage picture = ImageIO.read(file.toFile());
            ImageIO.write(MaskImages.overlay(picture, classIds, 0.5), "png",
                    output.resolve(stem + "_overlay.png").toFile());
            System.out.printf(Locale.ROOT, "%s -> %s_mask.png, %s_overlay.png%n", file, stem, stem);
        }
        System.out.printf(Locale.ROOT, "%d image(s) written to %s%n", images.size(), output.toAbsolutePath());
        return 0;
    }

    private static List<Path> imagesIn(Path input) throws java.io.IOException {
        if (Files.isRegularFile(input)) {
            return List.of(input);
        }
        if (!Files.isDirectory(input)) {
            throw new java.nio.file.NoSuchFileException(input.toString(), null, "no image or folder there");
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
