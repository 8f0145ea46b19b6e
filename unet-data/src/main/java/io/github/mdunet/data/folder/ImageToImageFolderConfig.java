package io.github.mdunet.data.folder;

import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.data.image.SampleDepth;
import java.nio.file.Path;

/**
 * An image-to-image dataset on disk: {@code inputs/<stem>.<ext>} paired with {@code targets/<stem>.<ext>} (any of
 * png, jpg, jpeg, bmp, tif, tiff), each target {@code scaleFactor} times its input on both sides.
 *
 * @param inputs          folder of network inputs (e.g. low-resolution, noisy or grey images)
 * @param targets         folder of targets (e.g. high-resolution, clean or colour images)
 * @param scaleFactor     target size / input size on both sides. Only 1 can be trained, as every U-Net outputs at
 *                        its input size: for super-resolution, inputs upscaled bicubically to their targets' size.
 *                        A folder of smaller inputs (e.g. 2 for half-size ones) is validated at its scale, but
 *                        {@code ImageToImageDataset}'s iterators refuse it
 * @param inputChannels   1 or 3
 * @param targetChannels  1 or 3 (e.g. 1 in, 3 out for colourisation)
 * @param split           how to divide training and validation samples
 * @param significantBits the bits of a 16-bit image's samples that hold its value, for inputs and targets alike: 16
 *                        (the default) reads 0-65535 as 0-255, 12 reads the 0-4095 of a 12-bit camera so; 8-bit
 *                        images are read as they are
 */
public record ImageToImageFolderConfig(Path inputs, Path targets, int scaleFactor, int inputChannels,
                                       int targetChannels, Split split, int significantBits) {

    /** The inputs folder's name under a dataset root, as {@link #of} reads it. */
    public static final String INPUTS = "inputs";
    /** The targets folder's name under a dataset root, as {@link #of} reads it. */
    public static final String TARGETS = "targets";

    public ImageToImageFolderConfig {
        if (inputs == null || targets == null) {
            throw new IllegalArgumentException("ImageToImageFolderConfig needs inputs and targets folders"
                    + " but was inputs=" + inputs + ", targets=" + targets);
        }
        if (FolderScanner.samePath(inputs, targets)) {
            throw new IllegalArgumentException("ImageToImageFolderConfig.inputs and targets must be different folders"
                    + " but both were " + inputs.toAbsolutePath().normalize() + " (inputs=" + inputs + ", targets="
                    + targets + "): every input would be its own target");
        }
        if (scaleFactor < 1 || scaleFactor > 16) {
            throw new IllegalArgumentException("ImageToImageFolderConfig.scaleFactor must be in [1, 16] but was "
                    + scaleFactor);
        }
        if ((inputChannels != 1 && inputChannels != 3) || (targetChannels != 1 && targetChannels != 3)) {
            throw new IllegalArgumentException("ImageToImageFolderConfig channels must be 1 or 3 but were"
                    + " inputChannels=" + inputChannels + ", targetChannels=" + targetChannels);
        }
        if (split == null) {
            throw new IllegalArgumentException("ImageToImageFolderConfig.split must be set"
                    + " (new Split.None() for none)");
        }
        Checks.significantBits("ImageToImageFolderConfig.significantBits", significantBits);
    }

    /** {@code root/inputs} and {@code root/targets}, RGB to RGB, no split. */
    public static ImageToImageFolderConfig of(Path root, int scaleFactor) {
        return new ImageToImageFolderConfig(root.resolve(INPUTS), root.resolve(TARGETS), scaleFactor, 3, 3,
                new Split.None(), SampleDepth.SIXTEEN_BIT.bits());
    }

    public ImageToImageFolderConfig withSplit(Split value) {
        return new ImageToImageFolderConfig(inputs, targets, scaleFactor, inputChannels, targetChannels, value,
                significantBits);
    }

    public ImageToImageFolderConfig withChannels(int input, int target) {
        return new ImageToImageFolderConfig(inputs, targets, scaleFactor, input, target, split,
                significantBits);
    }

    /** 16-bit images read as values of {@code value} bits (12: 0-4095 is 0-255); see {@link #significantBits()}. */
    public ImageToImageFolderConfig withSignificantBits(int value) {
        return new ImageToImageFolderConfig(inputs, targets, scaleFactor, inputChannels, targetChannels, split, value);
    }
}
