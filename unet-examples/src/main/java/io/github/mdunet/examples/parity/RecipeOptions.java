package io.github.mdunet.examples.parity;

import io.github.mdunet.app.ClassicEncoderOptions;
import io.github.mdunet.app.OptionChecks;
import io.github.mdunet.app.TrainingOptions;
import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.config.UNetConfig;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The learning-parity recipe's network and schedule as options, so that {@link ExportReference} writes for the
 * PyTorch reference the very recipe that {@link LearningParity} trains: the classes, the classic encoder's depth and
 * first width, the blocks' layers, and the training schedule. A picocli mixin.
 */
final class RecipeOptions {

    @Option(names = "--classes", description = "Classes, background included.")
    int classes = 4;

    @Mixin
    ClassicEncoderOptions encoder = new ClassicEncoderOptions(4, 32);

    @Option(names = "--layers", description = "The blocks' layers: ${COMPLETION-CANDIDATES} (the default is the"
            + " library's; the other is DL4J's own convolution, batch-norm and activation layers).")
    BlockLayers layers = BlockLayers.FUSED;

    @Mixin
    TrainingOptions training = new TrainingOptions(15, 8, 1e-3);

    /**
     * Refuses a recipe no network can be built or trained with ({@link io.github.mdunet.app.ExitCode#BAD_OPTION}):
     * fewer than two classes, an encoder without a stage or a channel, and what {@link TrainingOptions#check} refuses.
     */
    void check(CommandLine command) {
        OptionChecks.atLeast(command, "--classes", classes, 2);
        encoder.check(command);
        training.check(command);
    }

    /** The recipe's U-Net ({@link ExportReference#recipeConfig}) for inputs of {@code input}'s shape. */
    UNetConfig config(ImageShape input, long seed) {
        return ExportReference.recipeConfig(input, classes, encoder.depth(), encoder.baseWidth(),
                training.values().learningRate(), layers, seed);
    }
}
