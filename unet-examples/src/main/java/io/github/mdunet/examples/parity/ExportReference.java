package io.github.mdunet.examples.parity;

import io.github.mdunet.app.AppCommand;
import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.OptionChecks;
import io.github.mdunet.app.TrainingOptions;
import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.optim.TorchAdam;
import io.github.mdunet.core.train.LearningRateSchedule;
import io.github.mdunet.examples.InputSizeOptions;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Writes the learning-parity recipe (a classic U-Net, {@code EQ_SKIP}, pixel shuffle with ICNR, Adam, one-cycle)
 * as files for the PyTorch reference: {@link ReferenceCase}. With {@code --steps K}, also K fixed batches for the
 * step-by-step check.
 */
@Command(name = "export-reference", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Writes a U-Net, its initial weights, the recipe and optionally fixed batches for the PyTorch"
                + " reference.")
public final class ExportReference extends AppCommand {

    @Option(names = "--out", description = "Output directory.")
    Path out = Path.of("output", "reference");

    @Mixin
    InputSizeOptions input = new InputSizeOptions(96, 128);

    @Mixin
    RecipeOptions recipe = new RecipeOptions();

    @Option(names = "--seed", description = "Seed of the weights and batches.")
    long seed = 1;

    @Option(names = "--steps", description = "Also write this many fixed batches for the step check; 0 = none.")
    int steps;

    public static void main(String[] args) {
        CommandLines.run(args, () -> CommandLines.of(new ExportReference()));
    }

    /**
     * The parity recipe's U-Net on the given layers. The reference describes and exchanges weights with either
     * graph ({@link ReferenceNetwork}): DL4J's stock layers (one vertex per convolution, batch norm and activation,
     * running variances moved by the biased batch variance) or the fused blocks, the library's default (one vertex
     * per block, running variances moved by the unbiased one, as PyTorch).
     */
    static UNetConfig recipeConfig(ImageShape input, int classes, int depth, int baseWidth, double learningRate,
                                   BlockLayers layers, long seed) {
        return UNetConfig.builder()
                .encoder(new ClassicEncoder(depth, baseWidth, Normalization.BATCH))
                .input(input)
                .numClasses(classes)
                .channelReduction(ChannelReduction.EQ_SKIP)
                .midChannelScale(1.0)
                .upsample(new UpsampleMode.PixelShuffle(false))
                .updater(new TorchAdam(learningRate))
                .layers(layers)
                .seed(seed)
                .build();
    }

    @Override
    public Integer call() throws Exception {
        recipe.check(commandLine());
        input.check(commandLine());
        OptionChecks.atLeast(commandLine(), "--steps", steps, 0);
        TrainingOptions.Values training = recipe.training.values();
        int batch = training.batch();
        UNet unet = UNet.build(recipe.config(input.shape(3), seed));
        ReferenceCase.write(out, unet, LearningRateSchedule.OneCycle.fastai(), batch, training.epochs(), steps);
        if (steps > 0) {
            ReferenceCase.writeBatches(out, ReferenceCase.batches(unet, steps, batch, seed));
        }
        System.out.printf("Wrote %s: a U-Net with %,d parameters%s%n", out.toAbsolutePath(), unet.numParams(),
                steps > 0 ? " and " + steps + " batches of " + batch : "");
        return 0;
    }
}
