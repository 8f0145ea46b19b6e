package io.github.mdunet.examples;

import io.github.mdunet.data.SegmentationDataset;
import io.github.mdunet.data.folder.SegmentationFolderConfig;
import io.github.mdunet.data.folder.Split;
import io.github.mdunet.data.image.MaskEncoding;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How the apps read a segmentation folder ({@code images/} + {@code masks/} paired by file stem, masks read as
 * {@link MaskFileOptions} says): the validation split, the mask encoding and what to do with bad files. A picocli
 * mixin, so {@link TrainFolder} and {@link Tune} take the same options and open the folder the same way.
 */
final class SegmentationFolderOptions {

    @Option(names = "--validation-fraction", description = "Fraction held out for validation.")
    double validationFraction = 0.2;

    @Option(names = "--val-data", description = "A validation folder laid out like --data (images/ + masks/);"
            + " replaces the random split.")
    Path validationData;

    @Mixin
    MaskFileOptions masks = new MaskFileOptions();

    /**
     * Checks the options before anything is read: a fraction in (0, 1) unless {@code --val-data} replaces it, and a
     * palette whose class ids are below {@code classes}.
     */
    void check(CommandLine command, int classes) {
        if (validationData == null && !(validationFraction > 0 && validationFraction < 1)) {
            throw new CommandLine.ParameterException(command, "--validation-fraction must be in (0, 1) but was "
                    + validationFraction + " (e.g. --validation-fraction 0.2, or --val-data FOLDER)");
        }
        masks.check(command, classes);
    }

    /** The encoding of the masks: the palette's colours, or class ids. */
    MaskEncoding encoding() {
        return masks.encoding();
    }

    /**
     * Validates every file of {@code root} and splits the samples: {@code validationFraction} of them, drawn with
     * {@code seed}, for validation, or validates on {@code --val-data} when given.
     */
    SegmentationDataset open(Path root, int classes, long seed) {
        return SegmentationDataset.open(SegmentationFolderConfig.of(root, classes).withEncoding(masks.encoding())
                        .withSplit(validationData != null
                                ? new Split.ByFolder(validationData.resolve("images"), validationData.resolve("masks"))
                                : new Split.BySeed(validationFraction, seed)),
                masks.badSamples());
    }
}
