package io.github.mdunet.examples;

import io.github.mdunet.app.ExitCode;
import io.github.mdunet.app.OptionChecks;
import io.github.mdunet.core.blocks.ImageShape;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --height} and {@code --width}: the size of the network's input, to which an app brings its training images.
 * A picocli mixin that each app constructs with its own defaults, which its {@code --help} shows.
 */
public final class InputSizeOptions {

    @Option(names = "--height", description = "The network's input height.")
    int height;

    @Option(names = "--width", description = "The network's input width.")
    int width;

    /** The options with the app's defaults, which its {@code --help} shows and the fixes in {@link #check} suggest. */
    public InputSizeOptions(int height, int width) {
        this.height = height;
        this.width = width;
    }

    /** The network's input: {@code channels x --height x --width}. */
    public ImageShape shape(int channels) {
        return new ImageShape(channels, height, width);
    }

    /** Refuses a side below one pixel ({@link ExitCode#BAD_OPTION}), suggesting the app's default. */
    public void check(CommandLine command) {
        OptionChecks.atLeast(command, "--height", height, 1, OptionChecks.defaultExample(command, "--height"));
        OptionChecks.atLeast(command, "--width", width, 1, OptionChecks.defaultExample(command, "--width"));
    }
}
