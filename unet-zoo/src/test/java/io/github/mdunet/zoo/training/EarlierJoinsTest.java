package io.github.mdunet.zoo.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.layers.direct.ResidualActivation;
import io.github.mdunet.core.model.UNet;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fused ResNet U-Net saved before residual joins were one vertex keeps each join as DL4J's sum and activation
 * layer in its file: such a graph is still this U-Net's graph, freezes, and unfreezes into the current structure.
 */
class EarlierJoinsTest {

    /** The configuration of {@code graph} with each {@link ResidualActivation} split into a sum and a ReLU layer. */
    private static ComputationGraphConfiguration withSplitJoins(ComputationGraph graph) {
        ComputationGraphConfiguration configuration = graph.getConfiguration().clone();
        List<String> joins = configuration.getVertices().entrySet().stream()
                .filter(entry -> entry.getValue() instanceof ResidualActivation).map(Map.Entry::getKey).toList();
        assertThat(joins).hasSize(16);
        for (String join : joins) {
            String sum = join + "_sum";
            configuration.getVertices().put(sum, new ElementWiseVertex(ElementWiseVertex.Op.Add));
            configuration.getVertexInputs().put(sum, configuration.getVertexInputs().get(join));
            NeuralNetConfiguration layer = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                    .layer(new ActivationLayer.Builder().activation(Activation.RELU).name(join).build()).build();
            configuration.getVertices().put(join, new LayerVertex(layer, null));
            configuration.getVertexInputs().put(join, List.of(sum));
        }
        return configuration;
    }

    @Test
    void aGraphWithSplitJoinsIsTheSameUNetAndUnfreezesIntoJoinedOnes() {
        UNet unet = EarlierGraphs.fusedResNetUNet();
        ComputationGraph earlier = EarlierGraphs.withParametersOf(unet, withSplitJoins(unet.graph()));
        Nd4j.getRandom().setSeed(4);
        INDArray image = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64);
        INDArray expected = unet.predict(image);

        UNet loaded = unet.withGraph(earlier);
        assertThat(loaded.predict(image).sub(expected).amaxNumber().doubleValue()).isLessThan(1e-5);
        UNet frozen = EncoderFreezer.freeze(loaded);
        assertThat(frozen.predict(image).sub(expected).amaxNumber().doubleValue()).isLessThan(1e-5);

        UNet unfrozen = EncoderFreezer.unfreeze(frozen, 0.1);
        assertThat(unfrozen.graph().getConfiguration().getVertices().values())
                .filteredOn(v -> v instanceof ResidualActivation).hasSize(16);
        assertThat(unfrozen.graph().getConfiguration().getVertices().values())
                .noneMatch(ElementWiseVertex.class::isInstance);
        assertThat(unfrozen.predict(image).sub(expected).amaxNumber().doubleValue()).isLessThan(1e-5);
        assertThat(unfrozen.graph().getConfiguration().getVertices().get("res2a_branch"))
                .isEqualTo(new ResidualActivation(Activation.RELU.getActivationFunction(), true));
    }
}
