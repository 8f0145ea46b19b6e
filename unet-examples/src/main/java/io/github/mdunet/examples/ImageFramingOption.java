package io.github.mdunet.examples;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.predict.ImageFraming;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --resize} or {@code --tiles}: how {@link Predict} and {@link Evaluate} frame an image of another size than
 * the model's input. By default as the model saw its training images, when its file records it
 * ({@link UNet#trainedFraming()}, written by {@code mdunet train} and {@code tune}), else in tiles. A picocli mixin.
 */
final class ImageFramingOption {

    @Option(names = "--resize", description = "Stretch each image to the model's input and the prediction back, as"
            + " for a model trained on whole images stretched to its input (mdunet train --augment none or flips)."
            + " Default: as the model file records its training (else tiles).")
    private boolean resize;

    @Option(names = "--tiles", description = "Predict in tiles of the model's input at the image's own scale, as for"
            + " a model trained on crops. Default: as the model file records its training (else tiles).")
    private boolean tiles;

    /** Refuses {@code --resize} together with {@code --tiles}. */
    void check(CommandLine command) {
        if (resize && tiles) {
            throw new CommandLine.ParameterException(command, "--resize and --tiles are two ways to frame an"
                    + " image: give one, or neither to frame images as the model was trained");
        }
    }

    /**
     * Refuses {@code --overlap} where {@code unet}'s images are stretched, not tiled: the option would do nothing.
     */
    void checkOverlap(CommandLine command, UNet unet) {
        if (command.getParseResult().hasMatchedOption("--overlap")) {
            requireTiles(command, unet, "--overlap sets how tiles overlap", "--overlap");
        }
    }

    /**
     * Refuses an option that only tiles use ({@code what} it does, {@code option} to leave out) when each image is
     * stretched to the model's input instead.
     */
    void requireTiles(CommandLine command, UNet unet, String what, String option) {
        if (framing(unet) == ImageFraming.RESIZE) {
            throw new CommandLine.ParameterException(command, what + ", but here each image is stretched to the"
                    + " model's input, without tiles (" + (resize ? "--resize"
                    : "as the model was trained: its file records it") + "): leave " + option + " out, or give"
                    + " --tiles");
        }
    }

    /** The framing asked for, else the one {@code unet} was trained with, else tiles. */
    ImageFraming framing(UNet unet) {
        if (resize) {
            return ImageFraming.RESIZE;
        }
        if (tiles) {
            return ImageFraming.TILES;
        }
        return unet.trainedFraming().orElse(ImageFraming.TILES);
    }
}
