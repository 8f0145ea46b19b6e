package io.github.mdunet.core.layers.direct;

import static io.github.mdunet.core.layers.LayerTestSupport.LAYER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.layers.LayerTestSupport;
import io.github.mdunet.core.layers.Reference;
import io.github.mdunet.core.testing.DoubleOneThreadTestBase;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The direct pixel shuffle, blur and resize: hand-written references on non-square inputs at several sizes, DOUBLE
 * gradient checks, the SGD step check (through the 1x1 convolution before them) and the save/restore round trip.
 */
class ParameterlessLayersTest extends DoubleOneThreadTestBase {

    /** A layer, the channels of its test input, and its reference. */
    private record Case(String name, Layer layer, int channels, Function<INDArray, INDArray> reference) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case("shuffle r=2", new DirectPixelShuffle(2), 8, x -> Reference.pixelShuffle(x, 2)),
                new Case("shuffle r=3", new DirectPixelShuffle(3), 9, x -> Reference.pixelShuffle(x, 3)),
                new Case("blur", new DirectBlur(), 2, Reference::blur),
                new Case("resize up", new DirectBilinearResize(9, 13), 2, x -> Reference.bilinear(x, 9, 13)),
                new Case("resize down, odd ratio", new DirectBilinearResize(3, 2), 3, x -> Reference.bilinear(x, 3, 2)))
                .map(Arguments::of);
    }

    private static INDArray random(long... shape) {
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesReferenceForAnyBatchAndSize(Case c) {
        Nd4j.getRandom().setSeed(1);
        ComputationGraph graph = LayerTestSupport.layerOnly(c.layer().clone(),
                InputType.convolutional(5, 4, c.channels()));
        for (long[] shape : new long[][] {{2, c.channels(), 5, 4}, {1, c.channels(), 3, 7}, {3, c.channels(), 1, 1}}) {
            INDArray input = random(shape);
            for (boolean training : new boolean[] {true, false}) {
                assertThat(LayerTestSupport.maxAbsDifference(graph.outputSingle(training, input),
                        c.reference().apply(input))).as("shape %s", java.util.Arrays.toString(shape))
                        .isLessThan(1e-12);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(Case c) {
        Nd4j.getRandom().setSeed(2);
        ComputationGraph graph = LayerTestSupport.graph(c.layer().clone(), InputType.convolutional(5, 4, c.channels()),
                true, new NoOp());
        INDArray input = random(2, c.channels(), 5, 4);
        LayerTestSupport.assertGradientsMatchFiniteDifferences(graph, input,
                random(graph.outputSingle(input).shape()));
        // another size through the same layer
        INDArray other = random(1, c.channels(), 3, 6);
        LayerTestSupport.assertGradientsMatchFiniteDifferences(graph, other,
                random(graph.outputSingle(other).shape()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sgdStepUsesTheTrueGradient(Case c) {
        Nd4j.getRandom().setSeed(3);
        INDArray input = random(2, c.channels(), 5, 4);
        long[] outputShape = c.layer().getOutputType(0, InputType.convolutional(5, 4, c.channels())).getShape(false);
        LayerTestSupport.assertSgdStepFollowsNumericalGradient(c.layer().clone(),
                InputType.convolutional(5, 4, c.channels()), input,
                random(2, outputShape[0], outputShape[1], outputShape[2]), graph -> { });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void survivesModelSerializerRoundTrip(Case c, @TempDir Path directory) throws Exception {
        Nd4j.getRandom().setSeed(4);
        ComputationGraph graph = LayerTestSupport.graph(c.layer().clone(), InputType.convolutional(5, 4, c.channels()),
                true, new Adam(1e-2));
        INDArray input = random(2, c.channels(), 5, 4);
        LayerTestSupport.fitOnce(graph, input);
        ComputationGraph restored = LayerTestSupport.saveAndRestore(graph, directory);
        LayerTestSupport.assertRestoredEqual(graph, restored, input);
    }

    @Test
    void roundTripKeepsNonDefaultFields(@TempDir Path directory) throws Exception {
        ComputationGraph shuffle = LayerTestSupport.layerOnly(new DirectPixelShuffle(3),
                InputType.convolutional(2, 3, 9));
        assertThat(((DirectPixelShuffle) LayerTestSupport.saveAndRestore(shuffle, directory).getLayer(LAYER).conf()
                .getLayer()).getUpscaleFactor()).isEqualTo(3);
        ComputationGraph resize = LayerTestSupport.layerOnly(new DirectBilinearResize(7, 5),
                InputType.convolutional(2, 3, 1));
        DirectBilinearResize restored = (DirectBilinearResize) LayerTestSupport.saveAndRestore(resize, directory)
                .getLayer(LAYER).conf().getLayer();
        assertThat(restored.getOutputHeight()).isEqualTo(7);
        assertThat(restored.getOutputWidth()).isEqualTo(5);
    }

    @Test
    void settingsMakeEqualityAndTheDescription() {
        assertThat(new DirectBilinearResize(7, 5)).isEqualTo(new DirectBilinearResize(7, 5))
                .isNotEqualTo(new DirectBilinearResize(5, 7))
                .hasToString("DirectBilinearResize(layerName=null, outputHeight=7, outputWidth=5)");
        DirectPixelShuffle shuffle = new DirectPixelShuffle(3);
        shuffle.setLayerName("up");
        assertThat(shuffle).isNotEqualTo(new DirectPixelShuffle(3))
                .hasToString("DirectPixelShuffle(layerName=up, upscaleFactor=3)");
        assertThat(new DirectBlur()).hasToString("DirectBlur(layerName=null)");
    }

    @Test
    void aRestoredConfigurationIsCheckedWhenTheGraphIsInitialisedNamingTheLayer() {
        assertThat(LayerTestSupport.restoredWithEditedJson(new DirectPixelShuffle(3), InputType.convolutional(2, 3, 9),
                "\"upscaleFactor\" : 3", "\"upscaleFactor\" : 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DirectPixelShuffle '" + LAYER + "': upscaleFactor must be >= 2 but was 1");
    }

    @Test
    void rejectsBadArgumentsNamingTheField() {
        assertThatThrownBy(() -> new DirectPixelShuffle(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("upscaleFactor must be >= 2 but was 1");
        assertThatThrownBy(() -> new DirectBilinearResize(0, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("outputHeight must be >= 1 but was 0");
        DirectPixelShuffle shuffle = new DirectPixelShuffle(2);
        shuffle.setLayerName("up");
        assertThatThrownBy(() -> shuffle.getOutputType(0, InputType.convolutional(4, 4, 6)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("DirectPixelShuffle 'up': input channels (6) must be divisible by upscaleFactor^2 = 4");
    }
}
