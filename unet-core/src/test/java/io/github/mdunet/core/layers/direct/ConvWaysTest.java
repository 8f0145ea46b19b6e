package io.github.mdunet.core.layers.direct;

import static io.github.mdunet.core.layers.LayerTestSupport.LAYER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.layers.LayerTestSupport;
import io.github.mdunet.core.testing.SettingParsing;
import io.github.mdunet.runtime.testing.SavedProperties;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

/**
 * The {@code -Dmdunet.convWays} setting: its values, and what a layer created under each takes, with and without a
 * {@code -Dmdunet.convWorkspace} limit.
 */
class ConvWaysTest {

    @Test
    void parsesItsValuesInAnyCaseAndNamesThePropertyOnABadOne() {
        SettingParsing.assertReadsUnsetBlankAndAnyCase(ConvWays::parse, ConvWays.TIMED,
                Map.of("timed", ConvWays.TIMED, " Stock ", ConvWays.STOCK));
        assertThatThrownBy(() -> ConvWays.parse("fast")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("-Dmdunet.convWays must be 'timed' or 'stock' but was 'fast'");
    }

    /**
     * Under {@code stock} a layer takes libnd4j's ops whatever its shape and its report holds no patches; under the
     * default it times them (a wide 3 x 3 convolution's report holds one image's patches).
     */
    @Test
    void aLayerCreatedUnderStockTakesLibnd4jsOpsAndReportsNoPatches() {
        InputType input = InputType.convolutional(8, 10, 128);
        try (SavedProperties saved = SavedProperties.of(ConvWays.PROPERTY, ConvWorkspace.PROPERTY)) {
            System.clearProperty(ConvWorkspace.PROPERTY);
            System.setProperty(ConvWays.PROPERTY, "stock");
            assertThat(ConvChoice.of(ConvWays.fromSystemProperty(), ConvWorkspace.UNLIMITED)).isEqualTo(
                    new ConvChoice.Always(ConvForward.CONV2D, ConvBackprop.COMBINED));
            assertThat(layerChoice()).isSameAs(ConvChoice.STOCK);
            assertThat(threeByThree(input, 128).backpropPatchElements((InputType.InputTypeConvolutional) input))
                    .isZero();

            System.clearProperty(ConvWays.PROPERTY);
            assertThat(layerChoice()).isSameAs(ConvChoice.SHARED);
            assertThat(threeByThree(input, 128).backpropPatchElements((InputType.InputTypeConvolutional) input))
                    .isEqualTo(128L * 3 * 3 * 8 * 10);

            System.setProperty(ConvWays.PROPERTY, "fastest");
            assertThatThrownBy(ConvWaysTest::layerChoice).hasMessageContaining("-Dmdunet.convWays must be");
        }
    }

    /**
     * Under {@code -Dmdunet.convWorkspace} a layer takes this JVM's timed choices within that limit, one per limit,
     * and a small 3 x 3 convolution, timed only under a limit, reports its patches; with {@code stock} the limit is
     * refused, naming both settings.
     */
    @Test
    void aLayerCreatedUnderAWorkspaceLimitTakesTheTimedChoicesWithinIt() {
        InputType input = InputType.convolutional(8, 10, 4);
        try (SavedProperties saved = SavedProperties.of(ConvWays.PROPERTY, ConvWorkspace.PROPERTY)) {
            System.clearProperty(ConvWays.PROPERTY);
            System.clearProperty(ConvWorkspace.PROPERTY);
            assertThat(threeByThree(input, 4).backpropPatchElements((InputType.InputTypeConvolutional) input)).isZero();

            System.setProperty(ConvWorkspace.PROPERTY, "256m");
            ConvChoice limited = layerChoice();
            assertThat(limited).isSameAs(ConvChoice.Timed.shared(new ConvWorkspace(256L << 20)))
                    .isNotSameAs(ConvChoice.SHARED);
            assertThat(layerChoice()).as("one per limit").isSameAs(limited);
            assertThat(threeByThree(input, 4).backpropPatchElements((InputType.InputTypeConvolutional) input))
                    .isEqualTo(4L * 3 * 3 * 8 * 10);

            System.setProperty(ConvWays.PROPERTY, "stock");
            assertThatThrownBy(ConvWaysTest::layerChoice).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("-Dmdunet.convWorkspace (a limit of 256 MiB) limits the timed convolution ways"
                            + " but -Dmdunet.convWays=stock times none; unset one of them");
        }
    }

    private static ConvNormActivation threeByThree(InputType input, int channelsOut) {
        ConvNormActivation layer = ConvNormActivation.builder().nOut(channelsOut).kernelSize(3, 3).build();
        layer.setNIn(input, false);
        return layer;
    }

    private static ConvChoice layerChoice() {
        ComputationGraph graph = LayerTestSupport.layerOnly(ConvNormActivation.builder().nOut(3).kernelSize(3, 3)
                .build(), InputType.convolutional(5, 6, 2));
        return ((ConvNormActivationLayer) graph.getLayer(LAYER)).convChoice();
    }
}
