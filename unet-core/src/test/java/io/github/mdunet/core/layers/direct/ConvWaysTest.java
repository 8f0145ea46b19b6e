package io.github.mdunet.core.layers.direct;

import static io.github.mdunet.core.layers.LayerTestSupport.LAYER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.layers.LayerTestSupport;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

/** The {@code -Dmdunet.convWays} setting: its values, and what a layer created under each takes. */
class ConvWaysTest {

    @Test
    void parsesItsValuesInAnyCaseAndNamesThePropertyOnABadOne() {
        assertThat(ConvWays.parse(null)).isEqualTo(ConvWays.TIMED);
        assertThat(ConvWays.parse(" ")).isEqualTo(ConvWays.TIMED);
        assertThat(ConvWays.parse("timed")).isEqualTo(ConvWays.TIMED);
        assertThat(ConvWays.parse(" Stock ")).isEqualTo(ConvWays.STOCK);
        assertThatThrownBy(() -> ConvWays.parse("fast")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("-Dmdunet.convWays must be 'timed' or 'stock' but was 'fast'");
    }

    /**
     * Under {@code stock} a layer takes libnd4j's ops whatever its shape and its report holds no patches; under the
     * default it times them (a wide 3 x 3 convolution's report holds one image's patches).
     */
    @Test
    void aLayerCreatedUnderStockTakesLibnd4jsOpsAndReportsNoPatches() {
        String before = System.getProperty(ConvWays.PROPERTY);
        InputType input = InputType.convolutional(8, 10, 128);
        try {
            System.setProperty(ConvWays.PROPERTY, "stock");
            assertThat(ConvChoice.of(ConvWays.fromSystemProperty())).isEqualTo(
                    new ConvChoice.Always(ConvForward.CONV2D, ConvBackprop.COMBINED));
            assertThat(layerChoice()).isSameAs(ConvChoice.STOCK);
            assertThat(wide(input).backpropPatchElements((InputType.InputTypeConvolutional) input)).isZero();

            System.clearProperty(ConvWays.PROPERTY);
            assertThat(layerChoice()).isSameAs(ConvChoice.SHARED);
            assertThat(wide(input).backpropPatchElements((InputType.InputTypeConvolutional) input))
                    .isEqualTo(128L * 3 * 3 * 8 * 10);

            System.setProperty(ConvWays.PROPERTY, "fastest");
            assertThatThrownBy(ConvWaysTest::layerChoice).hasMessageContaining("-Dmdunet.convWays must be");
        } finally {
            if (before == null) {
                System.clearProperty(ConvWays.PROPERTY);
            } else {
                System.setProperty(ConvWays.PROPERTY, before);
            }
        }
    }

    private static ConvNormActivation wide(InputType input) {
        ConvNormActivation layer = ConvNormActivation.builder().nOut(128).kernelSize(3, 3).build();
        layer.setNIn(input, false);
        return layer;
    }

    private static ConvChoice layerChoice() {
        ComputationGraph graph = LayerTestSupport.layerOnly(ConvNormActivation.builder().nOut(3).kernelSize(3, 3)
                .build(), InputType.convolutional(5, 6, 2));
        return ((ConvNormActivationLayer) graph.getLayer(LAYER)).convChoice();
    }
}
