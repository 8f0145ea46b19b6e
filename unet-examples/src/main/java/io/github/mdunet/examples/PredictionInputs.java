package io.github.mdunet.examples;

import io.github.mdunet.app.BadInputException;
import io.github.mdunet.app.ExitCode;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.data.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the prediction apps ({@link Predict}, {@code PredictImages}) share: the model, the input images and the names
 * of their outputs. Outputs are named by the input's stem; inputs that share a stem ({@code a.png}, {@code a.jpg})
 * are named by stem and extension instead ({@code a_png}, {@code a_jpg}), and the app says so, as it says when it
 * replaces the files of an earlier run.
 */
public final class PredictionInputs {

    private PredictionInputs() {
    }

    /** The model of {@code --model}; a file that does not load is bad data ({@link ExitCode#BAD_DATA}). */
    public static UNet load(Path model) {
        try {
            return UNet.load(model);
        } catch (IOException e) {
            throw new BadInputException("--model " + model + " cannot be used: " + e.getMessage(), e);
        }
    }

    /**
     * Refuses an image-to-image model (a head that regresses pixels, {@code HeadActivation.regresses()}) where masks
     * are read from class probabilities: its outputs are pictures, and masks made from them would mean nothing.
     *
     * @throws BadInputException naming the model file and {@code superres-predict}, which applies such a model
     */
    public static void requireSegmentationModel(UNet unet, Path model) {
        HeadActivation head = unet.config().head();
        if (head.regresses()) {
            throw new BadInputException("--model " + model + " is an image-to-image model (head " + head + "): it"
                    + " outputs pictures, not class probabilities, so masks made from it would mean nothing; apply"
                    + " it with mdunet superres-predict --model " + model + " --input IMAGES");
        }
    }

    /** The image of {@code --input}, or the images of that folder in name order. */
    public static List<Path> imagesIn(Path input) throws IOException {
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

    /**
     * Each input's output name: its stem, or, for inputs that share a stem, stem and extension; the app says which.
     *
     * @param suffix the first output file's suffix ({@code _mask.png}), for the messages
     * @throws BadInputException when two inputs would still write the same files
     */
    public static Map<Path, String> outputNames(List<Path> images, String suffix) {
        // Compared without case: on macOS and Windows Cat_mask.png and cat_mask.png are one file.
        Map<String, List<Path>> byStem = images.stream().collect(Collectors.groupingBy(
                image -> ImageFiles.stem(image).toLowerCase(Locale.ROOT), LinkedHashMap::new, Collectors.toList()));
        Map<Path, String> names = new LinkedHashMap<>();
        Map<String, Path> taken = new LinkedHashMap<>();
        for (Path image : images) {
            List<Path> sameStem = byStem.get(ImageFiles.stem(image).toLowerCase(Locale.ROOT));
            String name = sameStem.size() == 1 ? ImageFiles.stem(image)
                    : ImageFiles.stem(image) + "_" + ImageFiles.extension(image);
            Path other = taken.putIfAbsent(name.toLowerCase(Locale.ROOT), image);
            if (other != null) {
                throw new BadInputException(other + " and " + image + " would both be written as " + name + suffix
                        + ": rename one of them");
            }
            names.put(image, name);
        }
        byStem.values().stream().filter(group -> group.size() > 1).forEach(group -> System.out.printf(Locale.ROOT,
                "note: %s share the name '%s'%s: their outputs are named %s%n",
                group.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(" and ")),
                ImageFiles.stem(group.get(0)), group.stream().map(ImageFiles::stem).distinct().count() > 1
                        ? " (case aside)" : "", group.stream().map(p -> names.get(p) + suffix)
                        .collect(Collectors.joining(" and "))));
        return names;
    }

    /**
     * Refuses a run whose outputs would overwrite one of its own inputs (say {@code a_mask.png}, a ground truth
     * beside {@code a.png}, when {@code --output} is the input folder), naming the file.
     *
     * @throws BadInputException naming the input and the output option
     */
    public static void refuseOverwritingInputs(Path output, Map<Path, String> names, List<String> suffixes) {
        Set<Path> inputs = names.keySet().stream().map(p -> p.toAbsolutePath().normalize())
                .collect(Collectors.toSet());
        for (String name : names.values()) {
            for (String suffix : suffixes) {
                Path written = output.resolve(name + suffix).toAbsolutePath().normalize();
                if (inputs.contains(written)) {
                    throw new BadInputException("the output " + written + " would overwrite that input: give --output"
                            + " another folder than the inputs'. Nothing was written.");
                }
            }
        }
    }

    /**
     * Notes the files of {@code suffixes} that an earlier run left in {@code output} and this one does not write: they
     * stay beside the new outputs but no longer match them.
     */
    public static void reportStale(Path output, Map<Path, String> names, List<String> suffixes) {
        List<String> stale = earlierFiles(output, names, suffixes);
        if (!stale.isEmpty()) {
            System.out.printf(Locale.ROOT, "note: %d file(s) of an earlier run in %s are not replaced and no longer"
                    + " match the new outputs: %s%n", stale.size(), output.toAbsolutePath(), firstSix(stale));
        }
    }

    /** Says which files of an earlier run in {@code output} this one replaces. */
    public static void reportReplaced(Path output, Map<Path, String> names, List<String> suffixes) {
        List<String> replaced = earlierFiles(output, names, suffixes);
        if (!replaced.isEmpty()) {
            System.out.printf(Locale.ROOT, "note: replacing %d file(s) of an earlier run in %s: %s%n",
                    replaced.size(), output.toAbsolutePath(), firstSix(replaced));
        }
    }

    /** The files named {@code name + suffix}, for every input's name and every suffix, that {@code output} holds. */
    private static List<String> earlierFiles(Path output, Map<Path, String> names, List<String> suffixes) {
        List<String> found = new ArrayList<>();
        for (String name : names.values()) {
            for (String suffix : suffixes) {
                if (Files.exists(output.resolve(name + suffix))) {
                    found.add(name + suffix);
                }
            }
        }
        return found;
    }

    private static String firstSix(List<String> files) {
        return files.size() <= 6 ? String.join(", ", files) : String.join(", ", files.subList(0, 6)) + ", ...";
    }
}
