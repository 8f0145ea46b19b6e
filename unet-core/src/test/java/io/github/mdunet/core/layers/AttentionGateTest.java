package io.github.mdunet.core.layers;

import static io.github.mdunet.core.layers.LayerTestSupport.LAYER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.testing.DoubleOneThreadTestBase;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

class AttentionGateTest extends DoubleOneThreadTestBase {

    private static INDArray random(long... shape) {
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    /** Non-zero biases, so that every term of the formula matters. */
    private static void randomiseBiases(ComputationGraph graph) {
        Layer layer = graph.getLayer(LAYER);
        layer.setParam(AttentionGate.GATE_BIAS_KEY, random(layer.getParam(AttentionGate.GATE_BIAS_KEY).shape()));
        layer.setParam(AttentionGate.PSI_BIAS_KEY, Nd4j.createFromArray(0.3));
    }

    private static INDArray reference(ComputationGraph graph, INDArray input, int skipChannels) {
        Layer layer = graph.getLayer(LAYER);
        return Reference.attentionGate(input, skipChannels, layer.getParam(AttentionGate.SKIP_WEIGHT_KEY),
                layer.getParam(AttentionGate.GATE_WEIGHT_KEY), layer.getParam(AttentionGate.GATE_BIAS_KEY),
                layer.getParam(AttentionGate.PSI_WEIGHT_KEY), layer.getParam(AttentionGate.PSI_BIAS_KEY).getDouble(0));
    }

    /** The gate alone in a graph, its weights drawn from {@code seed} and its biases randomised. */
    private static ComputationGraph seededGateOnly(long seed, AttentionGate gate, InputType inputType) {
        Nd4j.getRandom().setSeed(seed);
        ComputationGraph graph = LayerTestSupport.layerOnly(gate, inputType);
        randomiseBiases(graph);
        return graph;
    }

    @Test
    void matchesReference() {
        ComputationGraph graph = seededGateOnly(51, new AttentionGate(3, 5, 2), InputType.convolutional(4, 6, 8));
        INDArray input = random(2, 8, 4, 6);
        INDArray output = graph.outputSingle(input);
        assertThat(output.shape()).containsExactly(2, 3, 4, 6);
        assertThat(LayerTestSupport.maxAbsDifference(output, reference(graph, input, 3))).isLessThan(1e-12);
    }

    @Test
    void hasTheDocumentedParameters() {
        Layer layer = LayerTestSupport.layerOnly(new AttentionGate(3, 5, 2), InputType.convolutional(4, 6, 8))
                .getLayer(LAYER);
        assertThat(layer.getParam(AttentionGate.SKIP_WEIGHT_KEY).shape()).containsExactly(2, 3, 1, 1);
        assertThat(layer.getParam(AttentionGate.GATE_WEIGHT_KEY).shape()).containsExactly(2, 5, 1, 1);
        assertThat(layer.getParam(AttentionGate.GATE_BIAS_KEY).shape()).containsExactly(2);
        assertThat(layer.getParam(AttentionGate.PSI_WEIGHT_KEY).shape()).containsExactly(1, 2, 1, 1);
        assertThat(layer.getParam(AttentionGate.PSI_BIAS_KEY).shape()).containsExactly(1);
        assertThat(layer.getParam(AttentionGate.GATE_BIAS_KEY).amaxNumber().doubleValue()).isZero();
    }

    @Test
    void acceptsAnyBatchAndSpatialSizeAtRunTime() {
        ComputationGraph graph = seededGateOnly(52, new AttentionGate(2, 2, 3), InputType.convolutional(4, 6, 4));
        for (long[] shape : new long[][] {{2, 4, 4, 6}, {1, 4, 7, 3}, {3, 4, 2, 2}}) {
            INDArray input = random(shape);
            assertThat(LayerTestSupport.maxAbsDifference(graph.outputSingle(input), reference(graph, input, 2)))
                    .isLessThan(1e-12);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Nd4j.getRandom().setSeed(53);
        ComputationGraph graph = LayerTestSupport.graph(new AttentionGate(2, 3, 2), InputType.convolutional(3, 4, 5),
                true, new NoOp());
        randomiseBiases(graph);
        LayerTestSupport.assertGradientsMatchFiniteDifferences(graph, random(2, 5, 3, 4), random(2, 2, 3, 4));
    }

    @Test
    void sgdStepUsesTheTrueGradient() {
        Nd4j.getRandom().setSeed(54);
        LayerTestSupport.assertSgdStepFollowsNumericalGradient(new AttentionGate(2, 2, 2),
                InputType.convolutional(2, 3, 4), random(2, 4, 2, 3), random(2, 2, 2, 3),
                AttentionGateTest::randomiseBiases);
    }

    @Test
    void survivesModelSerializerRoundTrip(@TempDir Path directory) throws Exception {
        Nd4j.getRandom().setSeed(55);
        AttentionGate conf = LayerTestSupport.assertLayerSurvivesRoundTrip(new AttentionGate(3, 5, 7),
                InputType.convolutional(3, 5, 8), random(2, 8, 3, 5), AttentionGateTest::randomiseBiases, directory);
        assertThat(conf).as("skip, gate and intermediate channels").hasToString("AttentionGate(layerName=" + LAYER
                + ", skipChannels=3, gateChannels=5, intermediateChannels=7)");
    }

    @Test
    void outputTypeHasTheSkipChannels() {
        assertThat(new AttentionGate(3, 5, 2).getOutputType(0, InputType.convolutional(4, 6, 8)))
                .isEqualTo(InputType.convolutional(4, 6, 3));
    }

    @Test
    void rejectsInvalidArgumentsNamingFieldAndValue() {
        assertThatThrownBy(() -> new AttentionGate(0, 2, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("skipChannels must be >= 1 but was 0");
        assertThatThrownBy(() -> new AttentionGate(2, -1, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gateChannels must be >= 1 but was -1");
        assertThatThrownBy(() -> new AttentionGate(2, 2, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("intermediateChannels must be >= 1 but was 0");
    }
}
