package io.github.mdunet.core.layers.direct;

import static io.github.mdunet.core.layers.LayerTestSupport.INPUT;
import static io.github.mdunet.core.layers.direct.JoinTestGraphs.INPUT_TYPE;
import static io.github.mdunet.core.layers.direct.JoinTestGraphs.JOIN;
import static io.github.mdunet.core.layers.direct.JoinTestGraphs.activation;
import static io.github.mdunet.core.layers.direct.JoinTestGraphs.input;
import static io.github.mdunet.core.layers.direct.JoinTestGraphs.labels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.layers.LayerTestSupport;
import io.github.mdunet.core.layers.Reference;
import io.github.mdunet.core.testing.DoubleOneThreadTestBase;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.memory.MemoryType;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The decoder's join in DOUBLE: {@code in -> up (1x1 conv, 3 channels)} and {@code in -> skip (3x3 conv, 2
 * channels)}, joined by {@code act(concat(up, skip))} and read by a 1x1 convolution, against DL4J's
 * {@code MergeVertex -> ActivationLayer}; gradient check, SGD step, memory report, errors, round trip.
 */
class ConcatActivationTest extends DoubleOneThreadTestBase {

    private static final String UP = "up";
    private static final String SKIP = "skip";
    private static final String CONCAT = "concat";
    private static final String CONV = "conv";

    private static ComputationGraphConfiguration.GraphBuilder branches(IUpdater updater) {
        return LayerTestSupport.doubleGraph(updater, INPUT, INPUT_TYPE)
                .addLayer(UP, new ConvolutionLayer.Builder(1, 1).nOut(3).activation(Activation.IDENTITY).build(), INPUT)
                .addLayer(SKIP, new ConvolutionLayer.Builder(3, 3).nOut(2)
                        .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build(), INPUT);
    }

    private static ComputationGraph withHead(ComputationGraphConfiguration.GraphBuilder builder) {
        return LayerTestSupport.withMseOutput(builder.addLayer(CONV, new ConvolutionLayer.Builder(1, 1).nOut(4)
                .activation(Activation.IDENTITY).build(), JOIN), CONV);
    }

    private static ComputationGraph joined(IActivation activation, IUpdater updater) {
        return withHead(branches(updater).addVertex(JOIN, new ConcatActivation(activation), UP, SKIP));
    }

    private static ComputationGraph stock(IActivation activation, IUpdater updater) {
        return withHead(branches(updater).addVertex(CONCAT, new MergeVertex(), UP, SKIP)
                .addLayer(JOIN, new ActivationLayer.Builder().activation(activation).build(), CONCAT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"RELU", "LEAKYRELU", "IDENTITY"})
    void computesTheActivatedConcatenationAndItsGradientsAsTheStockVertices(String name) {
        ComputationGraph joined = joined(activation(name), new NoOp());
        ComputationGraph stock = stock(activation(name), new NoOp());
        stock.setParams(joined.params());
        INDArray x = input();

        Map<String, INDArray> activations = joined.feedForward(x, true);
        INDArray concatenated = Nd4j.concat(1, activations.get(UP), activations.get(SKIP));
        if (!name.equals("LEAKYRELU")) {
            assertThat(LayerTestSupport.maxAbsDifference(activations.get(JOIN),
                    Reference.activation(concatenated, Activation.valueOf(name)))).isLessThan(1e-12);
        }
        for (boolean training : new boolean[] {false, true}) {
            assertThat(LayerTestSupport.maxAbsDifference(joined.outputSingle(training, x),
                    stock.outputSingle(training, x))).as("training=%s", training).isLessThan(1e-12);
        }

        LayerTestSupport.assertSameScoreAndGradients(joined, stock, new DataSet(x, labels()), 1e-12);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RELU", "LEAKYRELU"})
    void gradientsMatchFiniteDifferences(String name) {
        LayerTestSupport.assertGradientsMatchFiniteDifferences(joined(activation(name), new NoOp()), input(),
                labels());
    }

    @Test
    void sgdStepFollowsTheNumericalGradient() {
        double learningRate = 0.1;
        ComputationGraph graph = joined(activation("RELU"), new Sgd(learningRate));
        assertThat(LayerTestSupport.assertSgdStepFollowsNumericalGradient(graph, learningRate,
                new DataSet(input(), labels()), java.util.Set.of())).contains(UP + "_W", SKIP + "_W", CONV + "_W");
    }

    @Test
    void reportsItsOutputAsItsOnlyActivations() {
        var report = new ConcatActivation().getMemoryReport(InputType.convolutional(6, 5, 3),
                InputType.convolutional(6, 5, 2));
        long outputBytes = 2L * 5 * 6 * 5 * 4;
        for (MemoryUseMode mode : MemoryUseMode.values()) {
            assertThat(report.getMemoryBytes(MemoryType.ACTIVATIONS, 2, mode, CacheMode.NONE, DataType.FLOAT))
                    .isEqualTo(outputBytes);
        }
        assertThat(report.getMemoryBytes(MemoryType.PARAMETERS, 2, MemoryUseMode.TRAINING, CacheMode.NONE,
                DataType.FLOAT)).isZero();
    }

    @Test
    void refusesInputsOfDifferentSizesAndUnsupportedActivations() {
        assertThat(new ConcatActivation().getOutputType(-1, InputType.convolutional(6, 5, 3),
                InputType.convolutional(6, 5, 2))).isEqualTo(InputType.convolutional(6, 5, 5));
        assertThatThrownBy(() -> new ConcatActivation().getOutputType(-1, InputType.convolutional(6, 5, 3),
                InputType.convolutional(6, 4, 2)))
                .hasMessageContaining("ConcatActivation").hasMessageContaining("same height, width");
        assertThatThrownBy(() -> new ConcatActivation(Activation.SIGMOID.getActivationFunction()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ConcatActivation")
                .hasMessageContaining("sigmoid");
    }

    @Test
    void survivesSaveAndRestoreWithNonDefaultValues(@TempDir Path directory) throws Exception {
        ComputationGraph graph = joined(new ActivationLReLU(0.2), new Adam(0.01));
        GraphVertex vertex = JoinTestGraphs.assertJoinSurvivesRoundTrip(graph, directory);
        assertThat(vertex).isEqualTo(new ConcatActivation(new ActivationLReLU(0.2)))
                .isNotEqualTo(new ConcatActivation(new ActivationLReLU(0.1)))
                .isNotEqualTo(new ResidualActivation(new ActivationLReLU(0.2), false));
        assertThat(vertex.hashCode()).isEqualTo(new ConcatActivation(new ActivationLReLU(0.2)).hashCode());
    }
}
