package io.github.mdunet.tuning.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.zoo.GraphEncoder;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;

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

    /** A user's graph of {@code width} channels, then twice and four times that, each stage at half the size. */
    private static UNetConfig userGraph(int width) {
        ComputationGraphConfiguration graph = new NeuralNetConfiguration.Builder()
                .convolutionMode(ConvolutionMode.Same).graphBuilder().addInputs("in")
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(width).build(), "in")
                .addLayer("c2", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(width * 2).build(), "c1")
                .addLayer("c3", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(width * 4).build(), "c2")
                .setOutputs("c3").setInputTypes(InputType.convolutional(32, 32, 3)).build();
        return UNetConfig.builder().encoder(GraphEncoder.discovering(graph)).input(new ImageShape(3, 32, 32))
                .numClasses(2).build();
    }

    /** Two user graphs print alike ({@code GraphEncoder[discovered skips]}) but are other networks: other keys. */
    @Test
    void userGraphsOfOtherWidthsAreOtherSetups() {
        SearchSetup narrow = setup(userGraph(4), Objective.MEAN_IOU);
        SearchSetup wide = setup(userGraph(8), Objective.MEAN_IOU);

        assertThat(narrow.description()).isEqualTo(wide.description());
        assertThat(narrow.key()).isNotEqualTo(wide.key());
        assertThat(narrow.earlierKey()).as("the text's key, which versions before 2026-12-05 gave both")
                .isEqualTo(wide.earlierKey()).isEqualTo(SearchSetup.digest(narrow.description()))
                .isNotEqualTo(narrow.key());
        assertThat(setup(userGraph(4), Objective.MEAN_IOU).key()).as("the same graph built again").isEqualTo(
                narrow.key());
    }

    /** An updater whose text is its identity hash: the key is the same for two equal configurations. */
    @Test
    void theKeyDoesNotDependOnAnIdentityHash() {
        UNetConfig first = base(3).toBuilder().updater(new HashNamedAdam()).build();
        UNetConfig second = base(3).toBuilder().updater(new HashNamedAdam()).build();

        assertThat(setup(first, Objective.MEAN_IOU).description())
                .isNotEqualTo(setup(second, Objective.MEAN_IOU).description());
        assertThat(setup(first, Objective.MEAN_IOU).key()).isEqualTo(setup(second, Objective.MEAN_IOU).key());
    }

    /** Adam with {@code Object}'s text, as a user's updater without a {@code toString} has. */
    static final class HashNamedAdam extends Adam {
        @Override
        public String toString() {
            return getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(this));
        }

        @Override
        public Adam clone() {
            return new HashNamedAdam();
        }
    }
}
