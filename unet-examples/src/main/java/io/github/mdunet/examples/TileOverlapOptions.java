package io.github.mdunet.examples;

import io.github.mdunet.app.ExitCode;
import io.github.mdunet.app.OptionChecks;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --overlap}: how many pixels the tiles overlap where an app predicts an image larger than the model's input
 * in tiles. A picocli mixin.
 */
public final class TileOverlapOptions {

    @Option(names = "--overlap", description = "Tile overlap in pixels for images larger than the model's input.")
    int overlap = 16;

    public int overlap() {
        return overlap;
    }

    /** Refuses a negative overlap ({@link ExitCode#BAD_OPTION}). */
    public void check(CommandLine command) {
        OptionChecks.atLeast(command, "--overlap", overlap, 0, "e.g. --overlap 16");
    }
}
