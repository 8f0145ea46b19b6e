package io.github.mdunet.app;

import io.github.mdunet.data.SegmentationDataset;
import io.github.mdunet.data.folder.SegmentationFolderConfig;
import io.github.mdunet.data.folder.Split;
import io.github.mdunet.data.image.MaskEncoding;
import io.github.mdunet.data.validate.BadSamplePolicy;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How the apps read a segmentation folder ({@code images/} + {@code masks/} paired by file stem, masks read as
 * {@link MaskFileOptions} says): the validation split, the mask encoding and what to do with bad files. A picocli
 * mixin, so the apps that train on a folder (train-folder, tune, spark-train-folder) take the same options and open
 * the folder the same way.
 */
public final class SegmentationFolderOptions {

    @Option(names = "--validation-fraction", description = "Fraction held out for validation (not with --val-data).")
    private double validationFraction = 0.2;

    @Option(names = "--val-data", description = "A validation folder laid out like --data (images/ + masks/);"
            + " replaces the random split.")
    private Path validationData;

    @Option(names = "--significant-bits", paramLabel = "BITS", description = "The bits of a 16-bit image's samples"
            + " that hold its value, 1 to 16: 12 reads a 12-bit camera's 0-4095 as 0-255, where 16 reads it as 0-16."
            + " 8-bit images are read as they are; the model records it for predict and evaluate.")
    private int significantBits = 16;

    @Mixin
    private MaskFileOptions masks = new MaskFileOptions();

    /**
     * Checks the options before anything is read: a fraction in (0, 1) unless {@code --val-data} replaces it (both
     * given is refused: one of them would be ignored), significant bits of 1 to 16, and the mask options
     * ({@link MaskFileOptions#check}: one encoding, its class ids below {@code classes}).
     */
    public void check(CommandLine command, int classes) {
        if (validationData != null && OptionChecks.given(command, "--validation-fraction")) {
            throw new CommandLine.ParameterException(command, "--validation-fraction " + validationFraction
                    + " and --val-data " + validationData + " both choose the validation images: give --val-data"
                    + " (a folder of its own) or --validation-fraction (a random split of --data), not both");
        }
        if (validationData == null && !(validationFraction > 0 && validationFraction < 1)) {
            throw new CommandLine.ParameterException(command, "--validation-fraction must be in (0, 1) but was "
                    + validationFraction + " (e.g. --validation-fraction 0.2, or --val-data FOLDER)");
        }
        OptionChecks.significantBits(command, significantBits);
        masks.check(command, classes);
    }

    /** The bits of a 16-bit image's samples that hold its value ({@code --significant-bits}, 16 when not given). */
    public int significantBits() {
        return significantBits;
    }

    /** The folder {@code --val-data} gives, or {@code null} when the validation images are split off the data. */
    public Path validationData() {
        return validationData;
    }

    /** The option that chose the masks' encoding, empty for class-id masks ({@link MaskFileOptions#encodingOption}). */
    public Optional<String> maskEncodingOption() {
        return masks.encodingOption();
    }

    /** The encoding of the masks ({@link MaskFileOptions#encoding}): class ids, or what the mask options say. */
    public MaskEncoding encoding() {
        return masks.encoding();
    }

    /** What {@code --skip-bad-files} says to do with a file that cannot be read. */
    public BadSamplePolicy badSamples() {
        return masks.badSamples();
    }

    /**
     * Validates every file of {@code root} and splits the samples: {@code validationFraction} of them, drawn with
     * {@code seed}, for validation, or validates on {@code --val-data} when given. Masks with class ids of
     * {@code classes} or more are named with the {@code --classes} that reads them ({@link ClassIdRemedy}).
     */
    public SegmentationDataset open(Path root, int classes, long seed) {
        return ClassIdRemedy.applyTo(() -> SegmentationDataset.open(SegmentationFolderConfig.of(root, classes)
                        .withEncoding(masks.encoding())
                        .withSignificantBits(significantBits)
                        .withSplit(validationData != null
                                ? SegmentationFolderConfig.validationFolder(validationData)
                                : new Split.BySeed(validationFraction, seed)),
                masks.badSamples()), ClassIdRemedy::moreClasses);
    }
}
