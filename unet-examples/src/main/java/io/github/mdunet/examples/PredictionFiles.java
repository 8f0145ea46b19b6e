package io.github.mdunet.examples;

import io.github.mdunet.app.ExitCode;
import io.github.mdunet.app.OptionChecks;
import io.github.mdunet.core.files.AtomicFiles;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What a prediction app reads and writes: {@code --model}, {@code --input} (an image or a folder of images) and
 * {@code --output}, whose files are named as {@link PredictionInputs} says, one per suffix and input. A picocli mixin
 * that each app constructs with its own output folder and suffixes.
 *
 * <p>An existing file is replaced only when it is an earlier prediction run's: each run lists the files it writes in
 * {@value #OUTPUT_LIST} in the output folder before writing them, and refuses, before writing anything, to replace a
 * file that list does not name (a ground truth {@code a_mask.png} beside {@code a.png}). {@code --output} may not be
 * the {@code --input} folder, where the outputs would be taken for inputs by the next run (a folder inside it is
 * fine: a folder's images are read without its subfolders).
 */
public final class PredictionFiles {

    /** The list, in the output folder, of the files the prediction apps wrote there: the only ones they replace. */
    public static final String OUTPUT_LIST = "mdunet-outputs.txt";

    @Option(names = "--model", required = true, description = "A model saved by UNet.save (e.g. "
            + Trainer.BEST + ").")
    Path model;

    @Option(names = "--input", required = true, description = "An image file or a folder of images.")
    Path input;

    @Option(names = "--output", description = "Output folder, not the --input folder. Of the files already there,"
            + " only those a prediction run listed in its " + OUTPUT_LIST + " are replaced.")
    Path output;

    private final List<String> suffixes;

    /**
     * @param output   the default output folder
     * @param suffixes the suffixes of the files written per input ({@code _mask.png}), the first one named in messages
     */
    public PredictionFiles(Path output, String... suffixes) {
        this.output = output;
        this.suffixes = List.of(suffixes);
    }

    public Path model() {
        return model;
    }

    /** Where the {@code suffix} file of the input whose outputs are named {@code name} goes. */
    public Path outputFile(String name, String suffix) {
        return output.resolve(name + suffix);
    }

    /** The model of {@code --model}, as {@link PredictionInputs#load} loads it. */
    public UNet loadModel() {
        return PredictionInputs.load(model);
    }

    /**
     * Refuses, before anything is read, an {@code --output} that cannot be a folder and one that is the
     * {@code --input} folder ({@link ExitCode#BAD_OPTION}).
     */
    public void check(CommandLine command) throws IOException {
        OptionChecks.outputFolder(command, "--output", output);
        if (Files.isDirectory(input) && sameFolder(input, output)) {
            throw new CommandLine.ParameterException(command, "--output " + output + " is the --input folder "
                    + input + ": the outputs would lie among the images and be taken for inputs by the next run;"
                    + " give another --output (e.g. --output " + input.resolve("predictions") + ")");
        }
    }

    private static boolean sameFolder(Path a, Path b) throws IOException {
        return Files.exists(b) ? Files.isSameFile(a, b)
                : a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /**
     * Each input image with the name its outputs take ({@link PredictionInputs#outputNames}); a folder's files named
     * as this app's outputs are left out ({@link PredictionInputs#imagesIn}).
     */
    public Map<Path, String> outputNames() throws IOException {
        return PredictionInputs.outputNames(PredictionInputs.imagesIn(input, suffixes), suffixes.get(0));
    }

    /** Makes the output folder and says which files of an earlier run in it this run replaces. */
    public void prepareOutput(Map<Path, String> names) throws IOException {
        prepareOutput(names, List.of());
    }

    /**
     * As {@link #prepareOutput(Map)}, for a run that also writes the {@code optional} suffixes' files: refuses to
     * replace a file no prediction run wrote ({@link PredictionInputs#refuseReplacingOthers}), then adds this run's
     * files to {@value #OUTPUT_LIST}.
     */
    public void prepareOutput(Map<Path, String> names, List<String> optional) throws IOException {
        List<String> written = new ArrayList<>(suffixes);
        written.addAll(optional);
        Path list = output.resolve(OUTPUT_LIST);
        Set<String> earlier = new LinkedHashSet<>();
        if (Files.isRegularFile(list)) {
            Files.readAllLines(list).stream().map(String::strip).filter(line -> !line.isEmpty()
                    && !line.startsWith("#")).forEach(earlier::add);
        }
        PredictionInputs.refuseReplacingOthers(output, names, written, earlier);
        Files.createDirectories(output);
        PredictionInputs.reportReplaced(output, names, written);
        Set<String> listed = new LinkedHashSet<>(earlier);
        names.values().forEach(name -> written.forEach(suffix -> listed.add(name + suffix)));
        if (listed.size() > earlier.size() || !Files.isRegularFile(list)) {
            List<String> lines = new ArrayList<>();
            lines.add("# The files mdunet's prediction apps wrote in this folder (listed before writing them): the only"
                    + " files they replace here.");
            lines.addAll(listed);
            // Whole or not at all: a cut list would make the next run refuse to replace this run's files.
            AtomicFiles.durable().writeString(list, String.join("\n", lines) + "\n");
        }
    }

    /** The closing line: how many inputs were predicted, and where the files went. */
    public void reportWritten(Map<Path, String> names) {
        reportWritten(names, Map.of());
    }

    /**
     * The closing line: how many of the inputs were predicted and where the files went; with {@code skipped} (the
     * inputs left out as bad, each with why), "N of M" and the list of those.
     */
    public void reportWritten(Map<Path, String> names, Map<Path, String> skipped) {
        if (skipped.isEmpty()) {
            System.out.printf(Locale.ROOT, "%d image(s) written to %s%n", names.size(), output.toAbsolutePath());
            return;
        }
        System.out.printf(Locale.ROOT, "%d of %d image(s) written to %s; skipped %d bad file(s):%n%s%n",
                names.size() - skipped.size(), names.size(), output.toAbsolutePath(), skipped.size(),
                skipped.entrySet().stream().map(entry -> "  " + entry.getKey() + ": " + entry.getValue())
                        .collect(Collectors.joining("\n")));
    }
}
