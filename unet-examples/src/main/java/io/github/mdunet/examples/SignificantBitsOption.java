package io.github.mdunet.examples;

import io.github.mdunet.app.OptionChecks;
import io.github.mdunet.core.model.UNet;
import java.nio.file.Path;
import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --significant-bits}: how {@link Predict}, {@link Evaluate} and {@code superres-predict} read a 16-bit image's
 * samples. By default as the model's training images were read, which its file records
 * ({@link UNet#trainedSignificantBits()}, written by {@code mdunet train}, {@code tune}, {@code spark-train-folder}
 * and {@code superres}), else as all 16 bits. The option gives the bits
 * for a model that records none, and may repeat but not change a recorded value: a model trained on 12-bit values
 * read as 0-255 sees other inputs when they are read as 0-16. A picocli mixin.
 */
public final class SignificantBitsOption {

    @Option(names = "--significant-bits", paramLabel = "BITS", description = "The bits of a 16-bit image's samples"
            + " that hold its value, 1 to 16, for a model that does not record them. Default: as the model file"
            + " records its training images were read (else 16).")
    private Integer significantBits;

    /**
     * {@code unet} recording the bits its images are read with: those of {@code --significant-bits} when the file at
     * {@code model} records none, its own otherwise.
     *
     * @throws CommandLine.ParameterException for bits outside 1 to 16, or other bits than the file records
     */
    public UNet applyTo(CommandLine command, UNet unet, Path model) {
        if (significantBits == null) {
            return unet;
        }
        OptionChecks.significantBits(command, significantBits);
        OptionalInt recorded = unet.trainedSignificantBits();
        if (recorded.isPresent() && recorded.getAsInt() != significantBits) {
            throw new CommandLine.ParameterException(command, "--significant-bits " + significantBits + " but "
                    + model + " records " + recorded.getAsInt() + " significant bits (how its training read 16-bit"
                    + " samples): the model reads images as it was trained; drop --significant-bits, or give"
                    + " --significant-bits "
                    + recorded.getAsInt());
        }
        return unet.withTrainedSignificantBits(significantBits);
    }
}
