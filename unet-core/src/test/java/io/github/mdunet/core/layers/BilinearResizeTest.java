package io.github.mdunet.core.layers;

import static io.github.mdunet.core.layers.LayerTestSupport.LAYER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.testing.DoubleOneThreadTestBase;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

class BilinearResizeTest extends DoubleOneThreadTestBase {

    private static INDArray random(long... shape) {
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    @ParameterizedTest(name = "{0}x{1} -> {2}x{3}")
    @CsvSource({"5, 7, 11, 4", "6, 4, 3, 9", "5, 7, 2, 3", "4, 4, 8, 8", "4, 6, 4, 6", "1, 3, 4, 5", "7, 5, 1, 1"})
    void matchesPyTorchBilinearWithoutAlignCorners(int inHeight, int inWidth, int outHeight, int outWidth) {
        Nd4j.getRandom().setSeed(31);
        ComputationGraph graph = LayerTestSupport.layerOnly(new BilinearResize(outHeight, outWidth),
                InputType.convolutional(inHeight, inWidth, 3));
        INDArray input = random(2, 3, inHeight, inWidth);
        INDArray output = graph.outputSingle(input);
        assertThat(output.shape()).containsExactly(2, 3, outHeight, outWidth);
        assertThat(LayerTestSupport.maxAbsDifference(output, Reference.bilinear(input, outHeight, outWidth)))
                .isLessThan(1e-12);
    }

    @Test
    void knownValuesOfTwiceUpsampling() {
        // torch.nn.functional.interpolate(torch.tensor([[[[0., 1., 2.]]]]), size=(1, 6), mode='bilinear')
        INDArray input = Nd4j.createFromArray(0.0, 1.0, 2.0).reshape(1, 1, 1, 3);
        INDArray output = LayerTestSupport.layerOnly(new BilinearResize(1, 6), InputType.convolutional(1, 3, 1))
                .outputSingle(input);
        assertThat(output.reshape(6)).isEqualTo(Nd4j.createFromArray(0.0, 0.25, 0.75, 1.25, 1.75, 2.0));
    }

    @Test
    void interpolationMatrixRowsSumToOne() {
        INDArray matrix = BilinearResize.interpolationMatrix(7, 11, DataType.DOUBLE);
        assertThat(matrix.shape()).containsExactly(11, 7);
        assertThat(LayerTestSupport.maxAbsDifference(matrix.sum(1), Nd4j.ones(DataType.DOUBLE, 11)))
                .isLessThan(1e-15);
    }

    @Test
    void acceptsAnyBatchSize() {
        Nd4j.getRandom().setSeed(32);
        ComputationGraph graph = LayerTestSupport.layerOnly(new BilinearResize(7, 3), InputType.convolutional(5, 4, 2));
        for (int batch : new int[] {2, 1, 3}) {
            INDArray input = random(batch, 2, 5, 4);
            assertThat(LayerTestSupport.maxAbsDifference(graph.outputSingle(input), Reference.bilinear(input, 7, 3)))
                    .isLessThan(1e-12);
        }
    }

    @Test
    void rejectsAnotherInputSizeAtRunTime() {
        ComputationGraph graph = LayerTestSupport.layerOnly(new BilinearResize(7, 3), InputType.convolutional(5, 4, 2));
        graph.getLayer(LAYER).conf().getLayer().setLayerName(LAYER);
        assertThatThrownBy(() -> graph.outputSingle(random(1, 2, 6, 4)))
                .hasMessageContaining("BilinearResize 'layer' was built for inputs of 5x4 (height x width)"
                        + " but got 6x4");
    }

    @Test
    void storesInputSizeFromTheInputType() {
        BilinearResize layer = new BilinearResize(9, 5);
        layer.setNIn(InputType.convolutional(4, 6, 3), false);
        assertThat(layer.getInputHeight()).isEqualTo(4);
        assertThat(layer.getInputWidth()).isEqualTo(6);
        assertThat(layer.getOutputType(0, InputType.convolutional(4, 6, 3)))
                .isEqualTo(InputType.convolutional(9, 5, 3));

        layer.setLayerName("resize1");
        assertThatThrownBy(() -> layer.setNIn(InputType.convolutional(5, 6, 3), false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("BilinearResize 'resize1' is configured for inputs of 4x6 (height x width) but the"
                        + " InputType is 5x6");
        layer.setNIn(InputType.convolutional(5, 6, 3), true);
        assertThat(layer.getInputHeight()).isEqualTo(5);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Nd4j.getRandom().setSeed(33);
        ComputationGraph graph = LayerTestSupport.graph(new BilinearResize(7, 4), InputType.convolutional(5, 6, 2),
                true, new NoOp());
        LayerTestSupport.assertGradientsMatchFiniteDifferences(graph, random(2, 2, 5, 6), random(2, 2, 7, 4));
    }

    @Test
    void sgdStepUsesTheTrueGradient() {
        Nd4j.getRandom().setSeed(34);
        LayerTestSupport.assertSgdStepFollowsNumericalGradient(new BilinearResize(3, 7),
                InputType.convolutional(5, 4, 2), random(2, 2, 5, 4), random(2, 2, 3, 7), graph -> { });
    }

    @Test
    void survivesModelSerializerRoundTrip(@TempDir Path directory) throws Exception {
        Nd4j.getRandom().setSeed(35);
        BilinearResize conf = LayerTestSupport.assertLayerSurvivesRoundTrip(new BilinearResize(9, 5),
                InputType.convolutional(4, 6, 2), random(2, 2, 4, 6), graph -> { }, directory);
        assertThat(conf.getOutputHeight()).isEqualTo(9);
        assertThat(conf.getOutputWidth()).isEqualTo(5);
        assertThat(conf.getInputHeight()).isEqualTo(4);
        assertThat(conf.getInputWidth()).isEqualTo(6);
    }

    @Test
    void rejectsInvalidArgumentsNamingFieldAndValue() {
        assertThatThrownBy(() -> new BilinearResize(0, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("outputHeight must be >= 1 but was 0");
        assertThatThrownBy(() -> new BilinearResize(4, -2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("outputWidth must be >= 1 but was -2");
    }
}
