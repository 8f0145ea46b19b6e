package io.github.mdunet.examples;

import io.github.mdunet.app.MaskFileOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --data}, required: the labelled folder an app reads, {@code images/} and {@code masks/} paired by file stem
 * (masks as {@link MaskFileOptions} says). A picocli mixin, so {@link TrainFolder} and {@link Evaluate} ask for it
 * alike.
 */
final class LabelledFolderOption {

    @Option(names = "--data", required = true, description = "Folder with images/ and masks/ (masks: class-id PNGs,"
            + " or as --mask-values, --mask-palette-indices or --mask-palette say).")
    private Path data;

    /** The folder {@code --data} names. */
    Path path() {
        return data;
    }
}
