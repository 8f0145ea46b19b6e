package io.github.mdunet.app;

import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.encoder.ClassicEncoder;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --depth} and {@code --base-width}: the classic U-Net encoder an app builds, {@code depth} stages whose first
 * is {@code base-width} channels wide, each further stage doubling them ({@code --width}, where an app has it, is
 * always an image's width). An app that can build a zoo encoder instead (train) refuses them with one. A picocli mixin
 * that each app constructs with its own defaults, which its {@code --help} shows.
 */
public final class ClassicEncoderOptions {

    @Option(names = "--depth", description = "Classic encoder depth: its stages, each halving the image.")
    private int depth;

    @Option(names = "--base-width", description = "Channels of the classic encoder's first stage, doubled at each"
            + " further stage.")
    private int baseWidth;

    /** The options with the app's defaults. */
    public ClassicEncoderOptions(int depth, int baseWidth) {
        this.depth = depth;
        this.baseWidth = baseWidth;
    }

    /** The encoder's stages ({@code --depth}). */
    public int depth() {
        return depth;
    }

    /** The first stage's channels ({@code --base-width}). */
    public int baseWidth() {
        return baseWidth;
    }

    /** The encoder these options describe, with {@code normalization} after each convolution. */
    public ClassicEncoder encoder(Normalization normalization) {
        return new ClassicEncoder(depth, baseWidth, normalization);
    }

    /** The options as a command line gives them, e.g. to a child process of the same app. */
    public List<String> arguments() {
        return List.of("--depth", String.valueOf(depth), "--base-width", String.valueOf(baseWidth));
    }

    /** Refuses an encoder without a stage or a channel ({@link ExitCode#BAD_OPTION}). */
    public void check(CommandLine command) {
        OptionChecks.atLeast(command, "--depth", depth, 1);
        OptionChecks.atLeast(command, "--base-width", baseWidth, 1);
    }
}
