package io.github.mdunet.zoo.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.blocks.VertexNames;
import io.github.mdunet.core.layers.direct.ConvNormActivation;
import io.github.mdunet.core.model.UNet;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fused U-Net saved before the head's 1x1 convolution was a fused block keeps DL4J's {@code ConvolutionLayer} as
 * its head in its file: such a graph is still this U-Net's graph, freezes either way, and unfreezes into the fused
 * head with the head's weights.
 */
class EarlierHeadTest {

    /** The configuration of {@code graph} with its fused head replaced by the stock 1x1 convolution it once was. */
    private static ComputationGraphConfiguration withStockHead(ComputationGraph graph) {
        ComputationGraphConfiguration configuration = graph.getConfiguration().clone();
        LayerVertex head = (LayerVertex) configuration.getVertices().get(VertexNames.HEAD);
        ConvNormActivation fused = (ConvNormActivation) head.getLayerConf().getLayer();
        head.getLayerConf().setLayer(new ConvolutionLayer.Builder(1, 1).nIn(fused.getNIn()).nOut(fused.getNOut())
                .activation(Activation.IDENTITY).convolutionMode(ConvolutionMode.Same)
                .updater(fused.getIUpdater()).weightInit(fused.getWeightInitFn()).name(VertexNames.HEAD).build());
        return configuration;
    }

    @ParameterizedTest
    @EnumSource(FrozenBatchNorm.class)
    void aGraphWithAStockHeadIsTheSameUNetAndUnfreezesIntoTheFusedHead(FrozenBatchNorm batchNorm) {
        UNet unet = EarlierGraphs.fusedResNetUNet();
        ComputationGraph earlier = EarlierGraphs.withParametersOf(unet, withStockHead(unet.graph()));
        assertThat(earlier.getLayer(VertexNames.HEAD).conf().getLayer()).isInstanceOf(ConvolutionLayer.class);
        Nd4j.getRandom().setSeed(5);
        INDArray image = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64);
        INDArray expected = unet.predict(image);

        UNet loaded = unet.withGraph(earlier);
        assertThat(loaded.predict(image).sub(expected).amaxNumber().doubleValue()).isLessThan(1e-5);
        UNet frozen = EncoderFreezer.freeze(loaded, batchNorm);
        assertThat(frozen.predict(image).sub(expected).amaxNumber().doubleValue()).isLessThan(1e-5);

        UNet unfrozen = EncoderFreezer.unfreeze(frozen, 0.1);
        assertThat(unfrozen.graph().getLayer(VertexNames.HEAD).conf().getLayer())
                .isInstanceOf(ConvNormActivation.class);
        assertThat(unfrozen.graph().getLayer(VertexNames.HEAD).getParam(ConvNormActivation.WEIGHT_KEY))
                .isEqualTo(earlier.getLayer(VertexNames.HEAD).getParam(ConvNormActivation.WEIGHT_KEY));
        assertThat(unfrozen.predict(image).sub(expected).amaxNumber().doubleValue()).isLessThan(1e-5);
    }
}
