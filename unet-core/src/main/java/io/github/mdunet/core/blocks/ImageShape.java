package io.github.mdunet.core.blocks;

import io.github.mdunet.core.checks.Checks;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * The shape of one image as the network sees it: {@code [channels, height, width]} (NCHW without the batch).
 *
 * @param channels number of channels, at least 1
 * @param height   rows, at least 1
 * @param width    columns, at least 1
 */
public record ImageShape(int channels, int height, int width) {

    public ImageShape {
        requirePositive("channels", channels);
        requirePositive("height", height);
        requirePositive("width", width);
    }

    /** This shape as DL4J's convolutional (NCHW) input type. */
    public InputType toInputType() {
        return InputType.convolutional(height, width, channels);
    }

    /** The same height and width with another channel count. */
    public ImageShape withChannels(int newChannels) {
        return new ImageShape(newChannels, height, width);
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }

    private static void requirePositive(String field, int value) {
        Checks.atLeast("ImageShape." + field, value, 1);
    }
}
