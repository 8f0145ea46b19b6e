package io.github.mdunet.core.layers;

import static io.github.mdunet.core.layers.LayerTestSupport.LAYER;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.testing.DoubleOneThreadTestBase;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;

class NchwSameDiffLayerTest extends DoubleOneThreadTestBase {

    @Test
    void setParamWritesThroughToTheParameterVector() {
        ComputationGraph graph = LayerTestSupport.layerOnly(new SelfAttention(4), InputType.convolutional(2, 2, 4));
        graph.getLayer(LAYER).setParam(SelfAttention.GAMMA_KEY, Nd4j.createFromArray(0.25));
        assertThat(graph.getLayer(LAYER).getParam(SelfAttention.GAMMA_KEY).getDouble(0)).isEqualTo(0.25);
        graph.setParam(LAYER + "_" + SelfAttention.GAMMA_KEY, Nd4j.createFromArray(-0.5));
        assertThat(graph.getParam(LAYER + "_" + SelfAttention.GAMMA_KEY).getDouble(0)).isEqualTo(-0.5);
    }

    @Test
    void equalityIgnoresTheLazilyCachedParameterShapes() {
        SubPixelConvolution used = new SubPixelConvolution(3, 2, 2, 3, true, Activation.TANH);
        used.getLayerParams();
        assertThat(used).isEqualTo(new SubPixelConvolution(3, 2, 2, 3, true, Activation.TANH))
                .hasSameHashCodeAs(new SubPixelConvolution(3, 2, 2, 3, true, Activation.TANH));
    }

    @Test
    void equalityComparesEveryField() {
        Layer reference = new SubPixelConvolution(3, 2, 2, 3, true, Activation.TANH);
        assertThat(reference)
                .isNotEqualTo(new SubPixelConvolution(4, 2, 2, 3, true, Activation.TANH))
                .isNotEqualTo(new SubPixelConvolution(3, 1, 2, 3, true, Activation.TANH))
                .isNotEqualTo(new SubPixelConvolution(3, 2, 3, 3, true, Activation.TANH))
                .isNotEqualTo(new SubPixelConvolution(3, 2, 2, 1, true, Activation.TANH))
                .isNotEqualTo(new SubPixelConvolution(3, 2, 2, 3, false, Activation.TANH))
                .isNotEqualTo(new SubPixelConvolution(3, 2, 2, 3, true, Activation.RELU));
        SubPixelConvolution otherInit = new SubPixelConvolution(3, 2, 2, 3, true, Activation.TANH);
        otherInit.setWeightInit(WeightInit.XAVIER);
        assertThat(reference).isNotEqualTo(otherInit);
        assertThat(new AttentionGate(2, 3, 4)).isNotEqualTo(new AttentionGate(3, 2, 4))
                .isNotEqualTo(new AttentionGate(2, 3, 5));
        assertThat(new BilinearResize(3, 4)).isNotEqualTo(new BilinearResize(4, 3));
        assertThat(new PixelShuffle(2)).isNotEqualTo(new PixelShuffle(3));
        assertThat(new SelfAttention(8)).isNotEqualTo(new SelfAttention(16));
    }

    @Test
    void changingAShapeFieldRecomputesTheParameterShapes() {
        SelfAttention layer = new SelfAttention(8);
        assertThat(layer.getLayerParams().getParamShapes().get(SelfAttention.VALUE_KEY)).containsExactly(8, 8, 1, 1);
        layer.setNIn(InputType.convolutional(2, 2, 16), true);
        assertThat(layer.getLayerParams().getParamShapes().get(SelfAttention.VALUE_KEY))
                .containsExactly(16, 16, 1, 1);
    }

    @Test
    void aRestoredConfigurationIsCheckedWhenTheGraphIsInitialised() {
        assertThat(LayerTestSupport.restoredWithEditedJson(new PixelShuffle(3), InputType.convolutional(2, 3, 9),
                "\"upscaleFactor\" : 3", "\"upscaleFactor\" : 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PixelShuffle '" + LayerTestSupport.LAYER + "': upscaleFactor must be >= 2 but was 1");
    }

    @Test
    void defaultWeightInitIsHeNormal() {
        assertThat(new SelfAttention(8).getWeightInit()).isEqualTo(WeightInit.RELU);
        assertThat(new AttentionGate().getWeightInit()).isEqualTo(WeightInit.RELU);
    }
}
