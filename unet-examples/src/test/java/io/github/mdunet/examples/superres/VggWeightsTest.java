package io.github.mdunet.examples.superres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.app.BadInputException;
import io.github.mdunet.core.files.UnusableFileException;
import io.github.mdunet.core.testing.TemporaryDl4jResources;
import io.github.mdunet.zoo.Weights;
import io.github.mdunet.zoo.ZooBackbone;
import io.github.mdunet.zoo.pretrained.MissingWeightsException;
import io.github.mdunet.zoo.pretrained.PretrainedWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The perceptual loss's VGG16 weights: auto falls back to random ones only when the zoo's file is absent. */
class VggWeightsTest {

    @RegisterExtension
    final TemporaryDl4jResources resources = new TemporaryDl4jResources();

    @Test
    void autoFallsBackWhenTheFileIsAbsentButNotWhenItIsBroken() throws IOException {
        assertThat(SuperResolutionRun.vggWeights(SuperResolutionRun.FeatureWeights.AUTO)).isEqualTo(Weights.random());
        assertThatThrownBy(() -> SuperResolutionRun.vggWeights(SuperResolutionRun.FeatureWeights.IMAGENET))
                .isInstanceOf(BadInputException.class).hasCauseInstanceOf(MissingWeightsException.class)
                .hasMessageStartingWith("--vgg-weights IMAGENET: ")
                .hasMessageContaining("give --vgg-weights RANDOM (or AUTO)")
                .hasMessageNotContaining("Weights.file");

        Path cache = PretrainedWeights.cacheDirectory(ZooBackbone.VGG16);
        Files.createDirectories(cache);
        String url = org.deeplearning4j.zoo.model.VGG16.builder().build()
                .pretrainedUrl(org.deeplearning4j.zoo.PretrainedType.IMAGENET);
        Path cut = Files.write(cache.resolve(url.substring(url.lastIndexOf('/') + 1)), new byte[] {'P', 'K', 3});
        for (SuperResolutionRun.FeatureWeights choice : List.of(SuperResolutionRun.FeatureWeights.AUTO,
                SuperResolutionRun.FeatureWeights.IMAGENET)) {
            assertThatThrownBy(() -> SuperResolutionRun.vggWeights(choice)).as("%s", choice)
                    .isInstanceOf(UnusableFileException.class)
                    .hasMessageContaining(cut.toAbsolutePath().toString())
                    .hasMessageContaining("fails the zoo's checksum");
        }
    }
}
