package io.github.mdunet.app;

import io.github.mdunet.core.blocks.ImageShape;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --size}: the height and width, in pixels, of the square images an app trains on and of its U-Net's input. A
 * picocli mixin that each app constructs with its own default, which its {@code --help} shows.
 */
public final class SquareSizeOption {

    @Option(names = "--size", description = "Image height and width in pixels.")
    private int size;

    /** The option with the app's default side. */
    public SquareSizeOption(int size) {
        this.size = size;
    }

    /** The side of the square images ({@code --size}). */
    public int side() {
        return size;
    }

    /** The U-Net's input: {@code channels x --size x --size}. */
    public ImageShape shape(int channels) {
        return new ImageShape(channels, size, size);
    }

    /**
     * Refuses a side below {@code minimum} ({@link ExitCode#BAD_OPTION}): 1, or the least the app's encoder takes.
     */
    public void check(CommandLine command, int minimum) {
        OptionChecks.atLeast(command, "--size", size, minimum);
    }
}
