package io.github.mdunet.tuning.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import org.junit.jupiter.api.Test;

/** What makes two searches' results interchangeable. */
class SearchSetupTest {

    private static UNetConfig base(int outputs) {
        UNetConfig.Builder builder = UNetConfig.builder().encoder(new ClassicEncoder(2, 4, Normalization.BATCH))
                .input(new ImageShape(3, 32, 32)).numClasses(outputs);
        return (outputs == 1 ? builder.head(new HeadActivation.Sigmoid()) : builder).build();
    }

    private static SearchSetup setup(UNetConfig base, Objective objective) {
        return SearchSetup.of(base, 4, 1, objective, SearchFixtures.iterator(4, 32, 4, 1),
                SearchFixtures.iterator(4, 32, 4, 2));
    }

    /** A one-channel head's mean IoU was 1.0 for every candidate before it was thresholded: not to be reused. */
    @Test
    void aOneChannelMeanIoUIsANewSetupOthersKeepTheirs() {
        assertThat(setup(base(1), Objective.MEAN_IOU).description())
                .contains("objective MEAN_IOU (one channel thresholded at 0.5);");
        assertThat(setup(base(1), Objective.LOSS).description()).contains("objective LOSS;");
        assertThat(setup(base(3), Objective.MEAN_IOU).description()).contains("objective MEAN_IOU;");
    }
}
