package io.github.mdunet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.examples.bench.SeedParityBenchmark;
import io.github.mdunet.examples.parity.LearningParity;
import io.github.mdunet.examples.superres.SuperResolution;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Help lists an option's values from the enum or shorthand that parses them, not from a hand-typed copy. */
class VariantHelpTest {

    private static String help(Object command) {
        return new CommandLine(command).getUsageMessage().replaceAll("\\s+", " ");
    }

    @Test
    void superResolutionListsItsLossesAndWeights() {
        assertThat(help(new SuperResolution()))
                .contains("Training loss: L1, MSE, PERCEPTUAL, L1_PERCEPTUAL (the perceptual ones compare VGG16"
                        + " features, with fastai's weights).")
                .contains("The perceptual loss's VGG16 weights: AUTO, IMAGENET, RANDOM (AUTO: the zoo's ImageNet file"
                        + " in DL4J's cache if present, else random). Default: AUTO");
    }

    @Test
    void theLayerPathsAndEncoderFormsAreListed() {
        assertThat(help(new LearningParity())).contains("The blocks' layers: FUSED, STOCK (the default is the"
                + " library's; the other is DL4J's own convolution, batch-norm and activation layers). Default: FUSED");
        assertThat(help(new SeedParityBenchmark())).contains("--encoder=<encoder> classic:DEPTH:WIDTH or"
                + " zoo:BACKBONE.");
        assertThat(help(new Tune())).contains("classic:DEPTH:WIDTH or zoo:BACKBONE, e.g. zoo:"); // wrapped after
    }
}
