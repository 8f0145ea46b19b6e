package io.github.mdunet.examples;

import io.github.mdunet.core.model.UNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * What a prediction app reads and writes: {@code --model}, {@code --input} (an image or a folder of images) and
 * {@code --output}, whose files are named as {@link PredictionInputs} says, one per suffix and input. A picocli mixin
 * that each app constructs with its own output folder and suffixes.
 */
public final class PredictionFiles {

    @Option(names = "--model", required = true, description = "A model saved by UNet.save (e.g. best.zip).")
    Path model;

    @Option(names = "--input", required = true, description = "An image file or a folder of images.")
    Path input;

    @Option(names = "--output", description = "Output folder.")
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

    /** Each input image with the name its outputs take ({@link PredictionInputs#outputNames}). */
    public Map<Path, String> outputNames() throws IOException {
        return PredictionInputs.outputNames(PredictionInputs.imagesIn(input), suffixes.get(0));
    }

    /** Makes the output folder and says which files of an earlier run in it this run replaces. */
    public void prepareOutput(Map<Path, String> names) throws IOException {
        prepareOutput(names, List.of());
    }

    /** As {@link #prepareOutput(Map)}, for a run that also writes the {@code optional} suffixes' files. */
    public void prepareOutput(Map<Path, String> names, List<String> optional) throws IOException {
        List<String> written = new ArrayList<>(suffixes);
        written.addAll(optional);
        PredictionInputs.refuseOverwritingInputs(output, names, written);
        Files.createDirectories(output);
        PredictionInputs.reportReplaced(output, names, written);
    }

    /** The closing line: how many inputs were predicted, and where the files went. */
    public void reportWritten(Map<Path, String> names) {
        System.out.printf(Locale.ROOT, "%d image(s) written to %s%n", names.size(), output.toAbsolutePath());
    }
}
