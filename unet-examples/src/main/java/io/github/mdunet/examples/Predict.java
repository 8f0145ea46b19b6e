package io.github.mdunet.examples;

import io.github.mdunet.core.cpu.CpuAcceleration;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.nativememory.NativeMemoryLimits;
import io.github.mdunet.core.predict.MaskImages;
import io.github.mdunet.core.predict.TiledPredictor;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.image.PixelNormalizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import io.github.mdunet.examples.console.ConsoleOptions;
import io.github.mdunet.examples.console.QuietConsole;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Predicts masks with a saved U-Net for an image or a folder of images of any size (tiled). Outputs are named by the
 * input's stem; inputs that share a stem ({@code a.png}, {@code a.jpg}) are named by stem and extension instead
 * ({@code a_png_mask.png}, {@code a_jpg_mask.png}), and the app says so, as it says when it replaces the files of an
 * earlier run.
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

    @CommandLine.Mixin
    ConsoleOptions console = new ConsoleOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        QuietConsole.configure(args);
        NativeMemoryLimits.raiseForApplication(); // before anything loads JavaCPP
        CpuAcceleration.configure();
        System.exit(CommandLines.of(new Predict()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (overlap < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--overlap must be >= 0 but was " + overlap
                    + " (e.g. --overlap 16)");
        }
        Map<Path, String> names = outputNames(imagesIn(input));
        UNet unet = load(model);
        Files.createDirectories(output);
        reportReplaced(names);
        int channels = unet.config().input().channels();
        PixelNormalizer normalizer = new PixelNormalizer(unet.config().encoder().inputNormalization());
        TiledPredictor predictor = TiledPredictor.of(unet, Math.min(overlap,
                Math.min(unet.config().input().height(), unet.config().input().width()) / 2));
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
        System.out.printf(Locale.ROOT, "%d image(s) written to %s%n", names.size(), output.toAbsolutePath());
        return ExitCode.OK.code();
    }

    private static UNet load(Path model) {
        try {
            return UNet.load(model);
        } catch (IOException e) {
            throw new BadInputException("--model " + model + " cannot be used: " + e.getMessage(), e);
        }
    }

    /**
     * Each input's output name: its stem, or, for inputs that share a stem, stem and extension; the app says which.
     *
     * @throws BadInputException when two inputs would still write the same files
     */
    static Map<Path, String> outputNames(List<Path> images) {
        Map<String, List<Path>> byStem = images.stream().collect(Collectors.groupingBy(ImageFiles::stem,
                LinkedHashMap::new, Collectors.toList()));
        Map<Path, String> names = new LinkedHashMap<>();
        Map<String, Path> taken = new LinkedHashMap<>();
        for (Path image : images) {
            List<Path> sameStem = byStem.get(ImageFiles.stem(image));
            String name = sameStem.size() == 1 ? ImageFiles.stem(image)
                    : ImageFiles.stem(image) + "_" + ImageFiles.extension(image);
            Path other = taken.putIfAbsent(name, image);
            if (other != null) {
                throw new BadInputException(other + " and " + image + " would both be written as " + name
                        + "_mask.png: rename one of them");
            }
            names.put(image, name);
        }
        byStem.values().stream().filter(group -> group.size() > 1).forEach(group -> System.out.printf(Locale.ROOT,
                "note: %s share the name '%s': their outputs are named %s%n",
                group.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(" and ")),
                ImageFiles.stem(group.get(0)), group.stream().map(p -> names.get(p) + "_mask.png")
                        .collect(Collectors.joining(" and "))));
        return names;
    }

    /** Says which files of an earlier run this one replaces. */
    private void reportReplaced(Map<Path, String> names) {
        List<String> replaced = new ArrayList<>();
        for (String name : names.values()) {
            for (String suffix : List.of("_mask.png", "_overlay.png")) {
                if (Files.exists(output.resolve(name + suffix))) {
                    replaced.add(name + suffix);
                }
            }
        }
        if (!replaced.isEmpty()) {
            System.out.printf(Locale.ROOT, "note: replacing %d file(s) of an earlier run in %s: %s%n",
                    replaced.size(), output.toAbsolutePath(), replaced.size() <= 6 ? String.join(", ", replaced)
                            : String.join(", ", replaced.subList(0, 6)) + ", ...");
        }
    }

    private static List<Path> imagesIn(Path input) throws IOException {
        if (Files.isRegularFile(input)) {
            return List.of(input);
        }
        if (!Files.isDirectory(input)) {
            throw new BadInputException("--input " + input + ": no image or folder there");
        }
        List<Path> images = new ArrayList<>();
        try (var files = Files.list(input)) {
            files.filter(f -> ImageFiles.IMAGE_EXTENSIONS.contains(ImageFiles.extension(f))).sorted()
                    .forEach(images::add);
        }
        if (images.isEmpty()) {
            throw new BadInputException("--input " + input + " holds no image (" + ImageFiles.IMAGE_EXTENSIONS + ")");
        }
        return images;
    }
}
