package io.github.mdunet.core.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.testing.DoubleOneThreadTestBase;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.DataFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

class PixelShuffleTest extends DoubleOneThreadTestBase {

    private static INDArray random(long... shape) {
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    @Test
    void matchesPyTorchChannelOrderExactly() {
        Nd4j.getRandom().setSeed(1);
        ComputationGraph graph = LayerTestSupport.layerOnly(new PixelShuffle(2), InputType.convolutional(3, 5, 12));
        INDArray input = random(2, 12, 3, 5);
        INDArray output = graph.outputSingle(input);
        assertThat(output.shape()).containsExactly(2, 3, 6, 10);
        assertThat(output).isEqualTo(Reference.pixelShuffle(input, 2));
    }

    @Test
    void matchesPyTorchForUpscaleFactorThree() {
        Nd4j.getRandom().setSeed(2);
        ComputationGraph graph = LayerTestSupport.layerOnly(new PixelShuffle(3), InputType.convolutional(4, 3, 18));
        INDArray input = random(1, 18, 4, 3);
        assertThat(graph.outputSingle(input)).isEqualTo(Reference.pixelShuffle(input, 3));
    }

    @Test
    void differsFromDepthToSpace() {
        Nd4j.getRandom().setSeed(3);
        INDArray input = random(1, 8, 2, 3);    // r = 2, C = 2
        SameDiff sd = SameDiff.create();
        INDArray depthToSpace = sd.cnn().depthToSpace(sd.constant(input), 2, DataFormat.NCHW).eval();
        INDArray shuffled = LayerTestSupport.layerOnly(new PixelShuffle(2), InputType.convolutional(2, 3, 8))
                .outputSingle(input);
        assertThat(depthToSpace.shape()).isEqualTo(shuffled.shape());
        assertThat(shuffled).isEqualTo(Reference.pixelShuffle(input, 2));
        assertThat(depthToSpace).isNotEqualTo(shuffled);
    }

    @Test
    void acceptsAnyBatchAndSpatialSizeAtRunTime() {
        Nd4j.getRandom().setSeed(4);
        ComputationGraph graph = LayerTestSupport.layerOnly(new PixelShuffle(2), InputType.convolutional(3, 5, 8));
        for (long[] shape : new long[][] {{2, 8, 3, 5}, {1, 8, 6, 4}, {3, 8, 2, 2}}) {
            INDArray input = random(shape);
            assertThat(graph.outputSingle(input)).isEqualTo(Reference.pixelShuffle(input, 2));
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Nd4j.getRandom().setSeed(5);
        ComputationGraph graph = LayerTestSupport.graph(new PixelShuffle(2), InputType.convolutional(3, 5, 8), true,
                new NoOp());
        LayerTestSupport.assertGradientsMatchFiniteDifferences(graph, random(2, 8, 3, 5), random(2, 2, 6, 10));
    }

    @Test
    void sgdStepUsesTheTrueGradient() {
        Nd4j.getRandom().setSeed(6);
        LayerTestSupport.assertSgdStepFollowsNumericalGradient(new PixelShuffle(2), InputType.convolutional(2, 3, 4),
                random(2, 4, 2, 3), random(2, 1, 4, 6), graph -> { });
    }

    @Test
    void survivesModelSerializerRoundTrip(@TempDir Path directory) throws Exception {
        Nd4j.getRandom().setSeed(7);
        PixelShuffle conf = LayerTestSupport.assertLayerSurvivesRoundTrip(new PixelShuffle(3),
                InputType.convolutional(2, 3, 9), random(2, 9, 2, 3), graph -> { }, directory);
        assertThat(conf.getUpscaleFactor()).isEqualTo(3);
    }

    @Test
    void outputTypeScalesSidesAndDividesChannels() {
        InputType output = new PixelShuffle(2).getOutputType(0, InputType.convolutional(5, 7, 12));
        assertThat(output).isEqualTo(InputType.convolutional(10, 14, 3));
    }

    @Test
    void rejectsUpscaleFactorBelowTwo() {
        assertThatThrownBy(() -> new PixelShuffle(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("upscaleFactor must be >= 2 but was 1");
    }
}
