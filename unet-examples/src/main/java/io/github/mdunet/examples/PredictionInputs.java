package io.github.mdunet.examples;

import io.github.mdunet.app.BadInputException;
import io.github.mdunet.app.ExitCode;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.data.image.BadFileException;
import io.github.mdunet.data.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
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
 * replaces the files of an earlier run. A folder's images are those of {@link ImageFiles#IMAGE_EXTENSIONS}, without
 * the files named as the app's own outputs; the app says how many it left out, and which.
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

    /**
     * The image of {@code --input}, or the images of that folder in name order: its files of
     * {@link ImageFiles#IMAGE_EXTENSIONS} but those named as the app's outputs (ending in one of {@code suffixes}, e.g.
     * {@code a_mask.png}: an earlier run's, or a ground truth beside its image), with a note on each kind left out.
     */
    public static List<Path> imagesIn(Path input, List<String> suffixes) throws IOException {
        if (Files.isRegularFile(input)) {
            return List.of(input);
        }
        if (!Files.isDirectory(input)) {
            throw new BadInputException("--input " + input + ": no image or folder there");
        }
        List<Path> images = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        List<String> unread = new ArrayList<>();
        try (var files = Files.list(input)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = file.getFileName().toString();
                if (ImageFiles.isHidden(file)) {
                    continue; // .DS_Store, macOS's ._a.png: metadata, not images
                }
                if (!ImageFiles.IMAGE_EXTENSIONS.contains(ImageFiles.extension(file))) {
                    if (!name.equals(PredictionFiles.OUTPUT_LIST)) {
                        unread.add(name);
                    }
                } else if (suffixes.stream().anyMatch(suffix -> name.toLowerCase(Locale.ROOT)
                        .endsWith(suffix.toLowerCase(Locale.ROOT)))) {
                    outputs.add(name);
                } else {
                    images.add(file);
                }
            }
        }
        if (!outputs.isEmpty()) {
            System.out.printf(Locale.ROOT, "note: left out %d file(s) of %s named as this app's outputs (%s): %s; give"
                            + " one alone with --input to predict it%n", outputs.size(), input,
                    suffixes.stream().map(suffix -> "*" + suffix).collect(Collectors.joining(", ")), firstSix(outputs));
        }
        if (!unread.isEmpty()) {
            System.out.printf(Locale.ROOT, "note: left out %d file(s) of %s that are not images read here (%s): %s%n",
                    unread.size(), input, ImageFiles.imageExtensionList(), firstSix(unread));
        }
        if (images.isEmpty()) {
            throw new BadInputException("--input " + input + " holds no image to predict ("
                    + ImageFiles.imageExtensionList() + ", not named as an output)");
        }
        return images;
    }

    /**
     * The images that cannot be read, each with why, from their headers alone (nothing is decoded): a file that is
     * not an image or breaks off before its pixels, or one of more than 16 bits per channel; in {@code images}' order.
     */
    public static Map<Path, String> unreadable(Collection<Path> images) {
        Map<Path, String> problems = new LinkedHashMap<>();
        for (Path image : images) {
            try {
                ImageFiles.depthProblem(ImageFiles.readHeader(image)).ifPresent(depth -> problems.put(image, depth));
            } catch (BadFileException e) {
                problems.put(image, e.problem());
            }
        }
        return problems;
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
     * Refuses a run whose outputs would replace a file that is not an earlier run's output, before anything is
     * written: one of its own inputs, or any file {@code output} holds that {@code earlierOutputs} (the files the
     * prediction apps wrote there, {@link PredictionFiles#OUTPUT_LIST}) does not name, such as a ground truth
     * {@code a_mask.png} beside {@code a.png}.
     *
     * @throws BadInputException naming the files and the fix
     */
    public static void refuseReplacingOthers(Path output, Map<Path, String> names, List<String> suffixes,
                                             Set<String> earlierOutputs) {
        Set<Path> inputs = names.keySet().stream().map(p -> p.toAbsolutePath().normalize())
                .collect(Collectors.toSet());
        List<String> others = new ArrayList<>();
        for (String name : names.values()) {
            for (String suffix : suffixes) {
                Path written = output.resolve(name + suffix).toAbsolutePath().normalize();
                if (inputs.contains(written)) {
                    throw new BadInputException("the output " + written + " would overwrite that input: give --output"
                            + " another folder than the inputs'. Nothing was written.");
                }
                if (Files.exists(written) && !earlierOutputs.contains(name + suffix)) {
                    others.add(name + suffix);
                }
            }
        }
        if (!others.isEmpty()) {
            throw new BadInputException("--output " + output + " already holds " + firstSix(others) + ", which this"
                    + " run would replace, but no prediction run wrote " + (others.size() == 1 ? "it" : "them")
                    + " there (" + output.resolve(PredictionFiles.OUTPUT_LIST) + " lists the files prediction runs"
                    + " wrote, the only ones they replace): a file of your own, such as a ground truth beside its"
                    + " image, is not overwritten. Nothing was written: give another --output (e.g. --output "
                    + output.resolve("predictions") + "), or move " + (others.size() == 1 ? "it" : "them")
                    + " away.");
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

    /** Says which files of an earlier run in {@code output} this one replaces (each one a prediction run wrote). */
    public static void reportReplaced(Path output, Map<Path, String> names, List<String> suffixes) {
        reportReplaced(output, earlierFiles(output, names, suffixes));
    }

    /** Says which files of an earlier run in {@code output} this one replaces: {@code replaced}, when any. */
    public static void reportReplaced(Path output, List<String> replaced) {
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

    static String firstSix(List<String> files) {
        return files.size() <= 6 ? String.join(", ", files) : String.join(", ", files.subList(0, 6)) + ", ...";
    }
}
