package io.github.mdunet.examples;

import io.github.mdunet.app.ExitCode;
import io.github.mdunet.app.OptionChecks;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.examples.evaluate.ImagePredictor;
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

    /**
     * Refuses a given {@code --overlap} above half the model's input side (the default is capped there instead), which
     * would otherwise be cut down without a word.
     */
    public void checkFits(CommandLine command, UNet unet) {
        int most = ImagePredictor.maxTileOverlap(unet);
        if (command.getParseResult().hasMatchedOption("--overlap") && overlap > most) {
            throw new CommandLine.ParameterException(command, "--overlap " + overlap + " is more than half the"
                    + " model's input side (" + unet.config().input().height() + " x " + unet.config().input().width()
                    + "), so the tiles would not advance: give at most --overlap " + most);
        }
    }
}
