package io.github.mdunet.examples;

import io.github.mdunet.examples.evaluate.ImageFraming;
import picocli.CommandLine.Option;

/**
 * {@code --resize}: how {@link Predict} and {@link Evaluate} frame an image of another size than the model's input,
 * which should be how the model saw its training images. A picocli mixin.
 */
final class ImageFramingOption {

    @Option(names = "--resize", description = "Stretch each image to the model's input and the prediction back, for a"
            + " model trained on whole images stretched to its input (train-folder --augment none or flips on images"
            + " of another size). Default: tiles at the image's own scale, for a model trained on crops.")
    private boolean resize;

    /** The framing {@code --resize} asks for. */
    ImageFraming framing() {
        return resize ? ImageFraming.RESIZE : ImageFraming.TILES;
    }
}
