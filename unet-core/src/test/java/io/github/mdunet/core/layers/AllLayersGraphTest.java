package io.github.mdunet.core.layers;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.testing.DoubleOneThreadTestBase;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.deeplearning4j.nn.conf.memory.NetworkMemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** All layers of the package in one graph: memory report, JSON round trip, a training step. */
class AllLayersGraphTest extends DoubleOneThreadTestBase {

    private static ComputationGraphConfiguration configuration() {
        return configuration(DataType.DOUBLE);
    }

    private static ComputationGraphConfiguration configuration(DataType dataType) {
        return new NeuralNetConfiguration.Builder()
                .seed(7)
                .dataType(dataType)
                .updater(new Adam(1e-3))
                .graphBuilder()
                .addInputs("skip", "gate")
                .setInputTypes(InputType.convolutional(6, 10, 4), InputType.convolutional(6, 10, 4))
                .addVertex("merged", new MergeVertex(), "skip", "gate")
                .addLayer("gated", new AttentionGate(4, 4, 2), "merged")
                .addLayer("attention", new SelfAttention(0), "gated")
                .addLayer("subPixel", new SubPixelConvolution(0, 4, 2, 3, true, Activation.LEAKYRELU), "attention")
                .addLayer("shuffle", new PixelShuffle(2), "subPixel")
                .addLayer("resize", new BilinearResize(9, 13), "shuffle")
                .addLayer("out", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).build(), "resize")
                .setOutputs("out")
                .build();
    }

    @Test
    void memoryReportGivesAPositiveTotal() {
        ComputationGraphConfiguration configuration = configuration();
        NetworkMemoryReport report = configuration.getMemoryReport(InputType.convolutional(6, 10, 4),
                InputType.convolutional(6, 10, 4));
        long training = report.getTotalMemoryBytes(2, MemoryUseMode.TRAINING, CacheMode.NONE, DataType.FLOAT);
        long inference = report.getTotalMemoryBytes(2, MemoryUseMode.INFERENCE, CacheMode.NONE, DataType.FLOAT);
        assertThat(training).isPositive();
        assertThat(inference).isPositive().isLessThan(training);
    }

    @Test
    void configurationSurvivesJsonRoundTrip() {
        ComputationGraphConfiguration configuration = configuration();
        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(configuration.toJson());
        assertThat(restored).isEqualTo(configuration);
        assertThat(restored.toJson()).isEqualTo(configuration.toJson());
    }

    @Test
    void trainsAndRoundTripsAsOneGraph(@TempDir Path directory) throws Exception {
        Nd4j.getRandom().setSeed(8);
        ComputationGraph graph = new ComputationGraph(configuration());
        graph.init();
        INDArray skip = Nd4j.randn(DataType.DOUBLE, 2, 4, 6, 10);
        INDArray gate = Nd4j.randn(DataType.DOUBLE, 2, 4, 6, 10);
        INDArray labels = Nd4j.randn(DataType.DOUBLE, 2, 1, 9, 13);
        INDArray before = graph.params().dup();
        graph.fit(new INDArray[] {skip, gate}, new INDArray[] {labels});
        assertThat(graph.params()).isNotEqualTo(before);
        assertThat(graph.output(skip, gate)[0].shape()).containsExactly(2, 1, 9, 13);

        ComputationGraph restored = LayerTestSupport.saveAndRestore(graph, directory);
        assertThat(restored.getConfiguration()).isEqualTo(graph.getConfiguration());
        assertThat(restored.params()).isEqualTo(graph.params());
        assertThat(restored.output(skip, gate)[0]).isEqualTo(graph.output(skip, gate)[0]);
    }

    @Test
    void trainsInSinglePrecision() {
        Nd4j.getRandom().setSeed(9);
        ComputationGraph graph = new ComputationGraph(configuration(DataType.FLOAT));
        graph.init();
        INDArray skip = Nd4j.randn(DataType.FLOAT, 2, 4, 6, 10);
        INDArray gate = Nd4j.randn(DataType.FLOAT, 2, 4, 6, 10);
        INDArray labels = Nd4j.randn(DataType.FLOAT, 2, 1, 9, 13);
        graph.fit(new INDArray[] {skip, gate}, new INDArray[] {labels});
        INDArray output = graph.output(skip, gate)[0];
        assertThat(output.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(output.shape()).containsExactly(2, 1, 9, 13);
        assertThat(graph.params().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(Double.isFinite(graph.score())).isTrue();
        assertThat(output.isInfinite().any() || output.isNaN().any()).isFalse();
    }
}
