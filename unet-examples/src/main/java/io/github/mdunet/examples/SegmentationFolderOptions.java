package io.github.mdunet.examples;

import io.github.mdunet.data.SegmentationDataset;
import io.github.mdunet.data.folder.SegmentationFolderConfig;
import io.github.mdunet.data.folder.Split;
import io.github.mdunet.data.image.MaskEncoding;
import io.github.mdunet.data.validate.BadSamplePolicy;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How the apps read a segmentation folder ({@code images/} + {@code masks/} paired by file stem, masks as class-id
 * PNGs or, with {@code --mask-palette}, colour PNGs): the validation split and what to do with bad files. A picocli
 * mixin, so {@link TrainFolder} and {@link Tune} take the same options and open the folder the same way.
 */
final class SegmentationFolderOptions {

    @Option(names = "--validation-fraction", description = "Fraction held out for validation (default:"
            + " ${DEFAULT-VALUE}).")
    double validationFraction = 0.2;

    @Option(names = "--val-data", description = "A validation folder laid out like --data (images/ + masks/);"
            + " replaces the random split.")
    Path validationData;

    @Option(names = "--mask-palette", paramLabel = "FILE|ID=#RRGGBB,...", converter = MaskPaletteConverter.class,
            description = "Colour masks: the colour of each class id, inline (e.g. " + MaskPaletteConverter.EXAMPLE
                    + ") or a file of such entries (one or more a line, # comments). Default: masks hold class ids.")
    MaskEncoding.Palette maskPalette;

    @Option(names = "--skip-bad-files", description = "Skip and report unreadable or inconsistent samples instead of"
            + " stopping.")
    boolean skipBadFiles;

    /**
     * Checks the options before anything is read: a fraction in (0, 1) unless {@code --val-data} replaces it, and a
     * palette whose class ids are below {@code classes}.
     */
    void check(CommandLine command, int classes) {
        if (validationData == null && !(validationFraction > 0 && validationFraction < 1)) {
            throw new CommandLine.ParameterException(command, "--validation-fraction must be in (0, 1) but was "
                    + validationFraction + " (e.g. --validation-fraction 0.2, or --val-data FOLDER)");
        }
        checkPalette(command, maskPalette, classes);
    }

    /** The encoding of the masks: the palette's colours, or class ids. */
    MaskEncoding encoding() {
        return maskPalette != null ? maskPalette : new MaskEncoding.ClassIds();
    }

    /** Refuses a palette that maps a colour to a class id of {@code classes} or more. */
    static void checkPalette(CommandLine command, MaskEncoding.Palette palette, int classes) {
        if (palette == null) {
            return;
        }
        palette.idByRgb().entrySet().stream().filter(entry -> entry.getValue() >= classes).findFirst()
                .ifPresent(entry -> {
                    int highest = palette.idByRgb().values().stream().mapToInt(Integer::intValue).max().orElse(0);
                    throw new CommandLine.ParameterException(command, String.format(java.util.Locale.ROOT,
                            "--mask-palette maps colour #%06X to class %d, but there are %d classes (ids 0 to %d):"
                                    + " give %d classes or fix the palette", entry.getKey(), entry.getValue(), classes,
                            classes - 1, highest + 1));
                });
    }

    /**
     * Validates every file of {@code root} and splits the samples: {@code validationFraction} of them, drawn with
     * {@code seed}, for validation, or validates on {@code --val-data} when given.
     */
    SegmentationDataset open(Path root, int classes, long seed) {
        return SegmentationDataset.open(SegmentationFolderConfig.of(root, classes).withEncoding(encoding())
                        .withSplit(validationData != null
                                ? new Split.ByFolder(validationData.resolve("images"), validationData.resolve("masks"))
                                : new Split.BySeed(validationFraction, seed)),
                skipBadFiles ? BadSamplePolicy.SKIP : BadSamplePolicy.FAIL);
    }
}
