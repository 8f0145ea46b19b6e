package io.github.mdunet.examples.bench;

import io.github.mdunet.app.AppCommand;
import io.github.mdunet.app.ClassicEncoderOptions;
import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.OptionChecks;
import io.github.mdunet.app.ParsingConverter;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.Loss;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.optim.TorchAdam;
import io.github.mdunet.tuning.memory.MemoryBudget;
import io.github.mdunet.tuning.memory.MemoryCalibration;
import io.github.mdunet.tuning.memory.MemoryEstimator;
import io.github.mdunet.tuning.memory.MemoryProbe;
import io.github.mdunet.zoo.Weights;
import io.github.mdunet.zoo.features.Vgg16Features;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Measures what a perceptual loss's VGG16 adds to a training step's memory, against the estimator's count of it
 * ({@code MemoryEstimate.lossNetwork()}): for each case, a classic-encoder U-Net with a residual head is trained in a
 * child JVM with an L1 loss and with fastai's perceptual loss (random VGG16 weights, which take the memory pretrained
 * ones do), and the difference of their peaks is printed beside the estimate. unet-tuning's README holds a run.
 */
@Command(name = "feature-loss-memory", mixinStandardHelpOptions = true,
        description = "Measures the training memory a VGG16 perceptual loss adds to an L1 one, against the memory"
                + " estimator's count of its network.")
public final class FeatureLossMemory extends AppCommand {

    @Option(names = "--case", split = ",", converter = CaseConverter.class, paramLabel = "SIZExBATCH",
            defaultValue = "96x4,96x8,128x2,160x4", description = "SIZExBATCH cases to measure.")
    List<Case> cases;

    @Mixin
    ClassicEncoderOptions encoder = new ClassicEncoderOptions(4, 16);

    @Option(names = "--steps", description = "Training steps per child.")
    int steps = 3;

    @Option(names = "--xmx", description = "Heap of each child, pre-touched.")
    String xmx = "2g";

    /** One measurement: square images of {@code size} pixels, {@code batch} of them a step. */
    record Case(int size, int batch) {
    }

    public static void main(String[] args) {
        CommandLines.run(args, () -> CommandLines.of(new FeatureLossMemory()));
    }

    @Override
    public Integer call() throws Exception {
        encoder.check(commandLine());
        OptionChecks.atLeast(commandLine(), "--steps", steps, 1);
        System.out.println("| case | L1 measured | perceptual measured | difference | loss network estimated"
                + " | error |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        for (Case c : cases) {
            UNetConfig l1 = config(c.size(), new Loss.L1());
            UNetConfig perceptual = config(c.size(), new Loss.Perceptual(Vgg16Features.fastai(Weights.random()), 1,
                    5000));
            long withL1 = MemoryCalibration.measureInChild(l1, c.batch(), MemoryProbe.Mode.TRAIN, steps, xmx);
            long withPerceptual = MemoryCalibration.measureInChild(perceptual, c.batch(), MemoryProbe.Mode.TRAIN,
                    steps, xmx);
            long difference = withPerceptual - withL1;
            long estimated = new MemoryEstimator().estimate(perceptual, c.batch()).lossNetwork();
            System.out.printf(Locale.ROOT, "| %d px, batch %d | %s | %s | %s | %s | %+.1f%% |%n", c.size(), c.batch(),
                    MemoryBudget.format(withL1), MemoryBudget.format(withPerceptual), MemoryBudget.format(difference),
                    MemoryBudget.format(estimated), 100.0 * (estimated - difference) / difference);
        }
        return 0;
    }

    /** The super-resolution app's kind of U-Net: classic encoder without batch norm, residual head. */
    private UNetConfig config(int size, Loss loss) {
        return UNetConfig.builder()
                .encoder(encoder.encoder(Normalization.NONE))
                .input(new ImageShape(3, size, size))
                .numClasses(3)
                .channelReduction(ChannelReduction.EQ_SKIP)
                .normalization(Normalization.NONE)
                .head(new HeadActivation.Residual())
                .loss(loss)
                .updater(new TorchAdam(1e-3))
                .seed(1)
                .build();
    }

    /** {@code --case SIZExBATCH}, e.g. {@code 96x4}. */
    static final class CaseConverter extends ParsingConverter<Case> {
        CaseConverter() {
            super(text -> {
                String[] parts = text.strip().split("x");
                if (parts.length != 2) {
                    throw new IllegalArgumentException("expected SIZExBATCH, e.g. 96x4, but was '" + text + "'");
                }
                Case parsed = new Case(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
                if (parsed.size() < 16 || parsed.batch() < 1) {
                    throw new IllegalArgumentException("expected a size of at least 16 (VGG16's total stride) and a"
                            + " batch of at least 1, but was '" + text + "'");
                }
                return parsed;
            });
        }
    }
}
