package io.github.mdunet.core.layers;

import static io.github.mdunet.core.layers.LayerTestSupport.LAYER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.testing.DoubleOneThreadTestBase;
import java.nio.file.Path;
import org.assertj.core.data.Offset;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;

class SelfAttentionTest extends DoubleOneThreadTestBase {

    private static INDArray random(long... shape) {
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    private static void setGamma(ComputationGraph graph, double gamma) {
        graph.getLayer(LAYER).setParam(SelfAttention.GAMMA_KEY, Nd4j.createFromArray(gamma));
    }

    private static INDArray reference(ComputationGraph graph, INDArray input) {
        Layer layer = graph.getLayer(LAYER);
        return Reference.selfAttention(input, layer.getParam(SelfAttention.QUERY_KEY),
                layer.getParam(SelfAttention.KEY_KEY), layer.getParam(SelfAttention.VALUE_KEY),
                layer.getParam(SelfAttention.GAMMA_KEY).getDouble(0));
    }

    @Test
    void startsAsTheIdentity() {
        Nd4j.getRandom().setSeed(41);
        ComputationGraph graph = LayerTestSupport.layerOnly(new SelfAttention(8), InputType.convolutional(3, 5, 8));
        assertThat(graph.getLayer(LAYER).getParam(SelfAttention.GAMMA_KEY).getDouble(0)).isZero();
        INDArray input = random(2, 8, 3, 5);
        assertThat(graph.outputSingle(input)).isEqualTo(input);
    }

    @Test
    void matchesReferenceWithNonZeroGamma() {
        Nd4j.getRandom().setSeed(42);
        ComputationGraph graph = LayerTestSupport.layerOnly(new SelfAttention(16), InputType.convolutional(3, 4, 16));
        setGamma(graph, 0.7);
        INDArray input = random(2, 16, 3, 4);
        INDArray output = graph.outputSingle(input);
        assertThat(LayerTestSupport.maxAbsDifference(output, reference(graph, input))).isLessThan(1e-10);
        assertThat(LayerTestSupport.maxAbsDifference(output, input)).isGreaterThan(1e-3);
    }

    @Test
    void projectsQueryAndKeyToAnEighthOfTheChannelsButAtLeastOne() {
        ComputationGraph graph = LayerTestSupport.layerOnly(new SelfAttention(16), InputType.convolutional(2, 2, 16));
        Layer layer = graph.getLayer(LAYER);
        assertThat(layer.getParam(SelfAttention.QUERY_KEY).shape()).containsExactly(2, 16, 1, 1);
        assertThat(layer.getParam(SelfAttention.KEY_KEY).shape()).containsExactly(2, 16, 1, 1);
        assertThat(layer.getParam(SelfAttention.VALUE_KEY).shape()).containsExactly(16, 16, 1, 1);
        assertThat(layer.getParam(SelfAttention.GAMMA_KEY).shape()).containsExactly(1);
        assertThat(SelfAttention.queryKeyChannels(4)).isEqualTo(1);
        assertThat(SelfAttention.queryKeyChannels(24)).isEqualTo(3);
    }

    @Test
    void acceptsAnyBatchAndSpatialSizeAtRunTime() {
        Nd4j.getRandom().setSeed(43);
        ComputationGraph graph = LayerTestSupport.layerOnly(new SelfAttention(4), InputType.convolutional(3, 5, 4));
        setGamma(graph, -1.3);
        for (long[] shape : new long[][] {{2, 4, 3, 5}, {1, 4, 4, 2}, {3, 4, 1, 6}}) {
            INDArray input = random(shape);
            assertThat(LayerTestSupport.maxAbsDifference(graph.outputSingle(input), reference(graph, input)))
                    .isLessThan(1e-10);
        }
    }

    @Test
    void infersChannelsFromTheInputType() {
        ComputationGraph graph = LayerTestSupport.layerOnly(new SelfAttention(0), InputType.convolutional(2, 3, 12));
        assertThat(((SelfAttention) graph.getLayer(LAYER).conf().getLayer()).getChannels()).isEqualTo(12);
        assertThat(graph.getLayer(LAYER).getParam(SelfAttention.VALUE_KEY).shape()).containsExactly(12, 12, 1, 1);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Nd4j.getRandom().setSeed(44);
        ComputationGraph graph = LayerTestSupport.graph(new SelfAttention(4), InputType.convolutional(3, 4, 4), true,
                new NoOp());
        setGamma(graph, 0.8);
        LayerTestSupport.assertGradientsMatchFiniteDifferences(graph, random(2, 4, 3, 4), random(2, 4, 3, 4));
    }

    @Test
    void gradientsStayCorrectWhenTheSpatialSizeChanges() {
        Nd4j.getRandom().setSeed(47);
        ComputationGraph graph = LayerTestSupport.graph(new SelfAttention(2), InputType.convolutional(3, 4, 2), true,
                new NoOp());
        setGamma(graph, -0.9);
        LayerTestSupport.assertGradientsMatchFiniteDifferences(graph, random(2, 2, 3, 4), random(2, 2, 3, 4));
        LayerTestSupport.assertGradientsMatchFiniteDifferences(graph, random(1, 2, 5, 2), random(1, 2, 5, 2));
    }

    @Test
    void sgdStepUsesTheTrueGradient() {
        Nd4j.getRandom().setSeed(45);
        LayerTestSupport.assertSgdStepFollowsNumericalGradient(new SelfAttention(4), InputType.convolutional(2, 3, 4),
                random(2, 4, 2, 3), random(2, 4, 2, 3), graph -> setGamma(graph, 0.6));
    }

    @Test
    void survivesModelSerializerRoundTrip(@TempDir Path directory) throws Exception {
        Nd4j.getRandom().setSeed(46);
        ComputationGraph graph = LayerTestSupport.graph(new SelfAttention(16), InputType.convolutional(3, 4, 16),
                true, new Adam(1e-2));
        setGamma(graph, 0.4);
        INDArray input = random(2, 16, 3, 4);
        ComputationGraph restored = LayerTestSupport.assertSurvivesRoundTrip(graph, input, directory);
        assertThat(((SelfAttention) restored.getLayer(LAYER).conf().getLayer()).getChannels()).isEqualTo(16);
        double gamma = graph.getLayer(LAYER).getParam(SelfAttention.GAMMA_KEY).getDouble(0);
        assertThat(gamma).isNotEqualTo(0.4).isCloseTo(0.4, Offset.offset(0.05));
        assertThat(restored.getLayer(LAYER).getParam(SelfAttention.GAMMA_KEY).getDouble(0)).isEqualTo(gamma);
    }

    @Test
    void rejectsInvalidArgumentsNamingFieldAndValue() {
        assertThatThrownBy(() -> new SelfAttention(-3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("channels must be >= 1, or 0 to infer it from the InputType, but was -3");
    }
}
