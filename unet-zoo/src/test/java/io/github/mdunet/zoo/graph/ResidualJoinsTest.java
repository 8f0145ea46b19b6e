package io.github.mdunet.zoo.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.layers.direct.ResidualActivation;
import io.github.mdunet.zoo.ZooBackbone;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** ResNet50's sixteen residual joins found, fused and trained as DL4J's stock vertices train them. */
class ResidualJoinsTest {

    private static final String BOTTLENECK = "res5c_branch";

    private static GraphSource resNet50() {
        return GraphSource.of(ZooBackbone.RESNET50_DL4J.zooConfiguration(3));
    }

    private static Map<String, ConvBatchNormChains.Chain> chains(GraphSource zoo, Set<String> visible) {
        return ConvBatchNormChains.find(zoo, zoo.ancestorsOf(List.of(BOTTLENECK)), visible);
    }

    @Test
    void findsEveryBottleneckJoinAndPutsTheFusedBranchFirst() {
        GraphSource zoo = resNet50();
        List<String> vertices = zoo.ancestorsOf(List.of(BOTTLENECK));
        Set<String> visible = Set.of(BOTTLENECK, "res3d_branch");
        Map<String, ResidualJoins.Join> joins = ResidualJoins.find(zoo, vertices, visible, chains(zoo, visible));

        assertThat(joins).hasSize(16);
        for (ResidualJoins.Join join : joins.values()) {
            assertThat(zoo.vertices().get(join.sum())).isInstanceOf(ElementWiseVertex.class);
            assertThat(join.activation()).matches("res[2-5][a-f]_branch");
            assertThat(join.reuseFirstInput()).as(join.toString()).isTrue();
            assertThat(join.inputs().get(0)).as(join.toString()).matches("bn[2-5][a-f]_branch2c");
            assertThat(new HashSet<>(join.inputs())).isEqualTo(new HashSet<>(zoo.inputsOf(join.sum())));
            assertThat(ResidualJoins.vertex(join, zoo))
                    .isEqualTo(new ResidualActivation(new ActivationReLU(), true));
        }

        assertThat(ResidualJoins.find(zoo, vertices, visible, Map.of()).values())
                .as("without fused chains nothing may be overwritten").hasSize(16)
                .noneMatch(ResidualJoins.Join::reuseFirstInput);
        Set<String> sumVisible = Set.of(BOTTLENECK, "short3d_branch");
        assertThat(ResidualJoins.find(zoo, vertices, sumVisible, chains(zoo, sumVisible)))
                .as("a visible sum stays").hasSize(15).doesNotContainKey("res3d_branch");
    }

    /** The encoder part of ResNet50 (DL4J layout) with fused chains, and with its joins fused too, then a loss. */
    private static ComputationGraph encoder(boolean fuseJoins) {
        GraphSource zoo = resNet50();
        Set<String> visible = Set.of(BOTTLENECK);
        Map<String, ConvBatchNormChains.Chain> chains = chains(zoo, visible);
        Map<String, ResidualJoins.Join> joins = fuseJoins
                ? ResidualJoins.find(zoo, zoo.ancestorsOf(List.of(BOTTLENECK)), visible, chains) : Map.of();
        GraphBuilder builder = new NeuralNetConfiguration.Builder().seed(1).updater(new NoOp())
                .dataType(DataType.FLOAT).graphBuilder().addInputs("image")
                .setInputTypes(InputType.convolutional(64, 64, 3));
        GraphCopy.copy(zoo, List.of(BOTTLENECK), builder, "image", LayerDefaults.USE_UNET_UPDATER_AND_INIT,
                (name, layer) -> {
                }, new Fusions(chains, joins));
        builder.addLayer("loss", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE)
                .activation(Activation.IDENTITY).build(), BOTTLENECK).setOutputs("loss");
        ComputationGraph graph = new ComputationGraph(builder.build());
        graph.init();
        return graph;
    }

    @Test
    void fusedJoinsComputeTheStockJoinsGradientsInFit() {
        ComputationGraph stock = encoder(false);
        ComputationGraph fused = encoder(true);
        assertThat(fused.getConfiguration().getVertices().values())
                .filteredOn(v -> v instanceof ResidualActivation).hasSize(16);
        assertThat(fused.getConfiguration().getVertices().values())
                .noneMatch(v -> v instanceof ElementWiseVertex);
        assertThat(fused.paramTable().keySet()).isEqualTo(stock.paramTable().keySet());
        stock.paramTable().forEach((key, value) -> fused.paramTable().get(key).assign(value));

        Nd4j.getRandom().setSeed(9);
        INDArray image = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64).subi(0.5);
        INDArray labels = Nd4j.randn(DataType.FLOAT, stock.outputSingle(image).shape());
        for (ComputationGraph graph : List.of(stock, fused)) {
            graph.setInputs(image);
            graph.setLabels(labels);
            graph.computeGradientAndScore();
        }
        assertThat(fused.score()).isEqualTo(stock.score());
        for (Map.Entry<String, INDArray> entry : stock.gradient().gradientForVariable().entrySet()) {
            INDArray want = entry.getValue();
            double scale = Math.max(1e-6, want.amaxNumber().doubleValue());
            assertThat(fused.gradient().getGradientFor(entry.getKey()).sub(want).amaxNumber().doubleValue() / scale)
                    .as(entry.getKey()).isLessThan(1e-5);
        }
    }
}
