package io.github.mdunet.core.layers;

import static io.github.mdunet.core.layers.LayerTestSupport.LAYER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.testing.DoubleOneThreadTestBase;
import java.nio.file.Path;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

class SubPixelConvolutionTest extends DoubleOneThreadTestBase {

    private static INDArray random(long... shape) {
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    /** The base kernel ICNR drew: {@code W[c*r*r]}, after checking all r*r copies of it are equal. */
    private static INDArray icnrBase(INDArray weightsView, int outputChannels, int upscaleFactor) {
        INDArray weights = weightsView.dup();   // slice() of a parameter view at an offset is unreliable in M2.1
        int subPixels = upscaleFactor * upscaleFactor;
        INDArray base = Nd4j.create(DataType.DOUBLE, outputChannels, weights.size(1), weights.size(2),
                weights.size(3));
        for (int c = 0; c < outputChannels; c++) {
            base.slice(c).assign(weights.slice((long) c * subPixels));
            for (int s = 0; s < subPixels; s++) {
                assertThat(weights.slice((long) c * subPixels + s)).isEqualTo(base.slice(c));
            }
        }
        return base;
    }

    @ParameterizedTest(name = "blur={0}")
    @CsvSource({"false", "true"})
    void icnrInitialisationIsNearestNeighbourUpsamplingOfTheBaseConvolution(boolean blur) {
        Nd4j.getRandom().setSeed(11);
        ComputationGraph graph = LayerTestSupport.layerOnly(
                new SubPixelConvolution(3, 2, 2, 3, blur, Activation.RELU), InputType.convolutional(5, 4, 3));
        Layer layer = graph.getLayer(LAYER);
        INDArray weights = layer.getParam(SubPixelConvolution.WEIGHT_KEY);
        assertThat(weights.shape()).containsExactly(8, 3, 3, 3);
        assertThat(layer.getParam(SubPixelConvolution.BIAS_KEY).shape()).containsExactly(8);
        assertThat(layer.getParam(SubPixelConvolution.BIAS_KEY).amaxNumber().doubleValue()).isZero();
        INDArray base = icnrBase(weights, 2, 2);
        assertThat(base.amaxNumber().doubleValue()).isPositive();

        INDArray input = random(2, 3, 5, 4);
        INDArray upsampled = Reference.nearestUpsample(
                Reference.activation(Reference.conv2dSame(input, base, null), Activation.RELU), 2);
        INDArray expected = blur ? Reference.blur(upsampled) : upsampled;
        INDArray output = graph.outputSingle(input);
        assertThat(output.shape()).containsExactly(2, 2, 10, 8);
        assertThat(LayerTestSupport.maxAbsDifference(output, expected)).isLessThan(1e-6);
    }

    @Test
    void icnrHoldsWhenTheParametersSitAtAnOffsetOfTheParameterVector() {
        Nd4j.getRandom().setSeed(19);
        ComputationGraph graph = LayerTestSupport.graph(new SubPixelConvolution(4, 4, 2, 3, false, Activation.RELU),
                InputType.convolutional(4, 4, 4), true, new NoOp());
        INDArray weights = graph.getLayer(LAYER).getParam(SubPixelConvolution.WEIGHT_KEY);
        assertThat(weights.offset()).isPositive();
        assertThat(icnrBase(weights, 4, 2).amaxNumber().doubleValue()).isPositive();
    }

    @Test
    void icnrBaseKernelIsHeNormal() {
        Nd4j.getRandom().setSeed(12);
        ComputationGraph graph = LayerTestSupport.layerOnly(
                new SubPixelConvolution(8, 8, 2, 3, false, Activation.RELU), InputType.convolutional(4, 4, 8));
        INDArray base = icnrBase(graph.getLayer(LAYER).getParam(SubPixelConvolution.WEIGHT_KEY), 8, 2);
        double expectedStd = Math.sqrt(2.0 / (8 * 3 * 3));      // 576 draws
        assertThat(base.stdNumber().doubleValue()).isBetween(0.85 * expectedStd, 1.15 * expectedStd);
        assertThat(Math.abs(base.meanNumber().doubleValue())).isLessThan(0.15 * expectedStd);
    }

    @ParameterizedTest(name = "r={0} k={1} {2} blur={3}")
    @CsvSource({"3, 3, LEAKYRELU, true", "2, 1, TANH, false", "2, 5, IDENTITY, true"})
    void matchesConvolutionActivationShuffleAndBlurReference(int upscaleFactor, int kernelSize,
                                                            Activation activation, boolean blur) {
        Nd4j.getRandom().setSeed(13);
        ComputationGraph graph = LayerTestSupport.layerOnly(
                new SubPixelConvolution(2, 2, upscaleFactor, kernelSize, blur, activation),
                InputType.convolutional(4, 6, 2));
        Layer layer = graph.getLayer(LAYER);
        INDArray weights = random(layer.getParam(SubPixelConvolution.WEIGHT_KEY).shape());
        INDArray bias = random(layer.getParam(SubPixelConvolution.BIAS_KEY).shape());
        layer.setParam(SubPixelConvolution.WEIGHT_KEY, weights);
        layer.setParam(SubPixelConvolution.BIAS_KEY, bias);

        INDArray input = random(2, 2, 4, 6);
        INDArray shuffled = Reference.pixelShuffle(
                Reference.activation(Reference.conv2dSame(input, weights, bias), activation), upscaleFactor);
        INDArray expected = blur ? Reference.blur(shuffled) : shuffled;
        assertThat(LayerTestSupport.maxAbsDifference(graph.outputSingle(input), expected)).isLessThan(1e-10);
    }

    @Test
    void blurMatchesReplicationPadAndAveragePool() {
        Nd4j.getRandom().setSeed(14);
        INDArray input = random(2, 3, 4, 5);
        SameDiff sd = SameDiff.create();
        INDArray blurred = SubPixelConvolution.blur(sd, sd.constant(input)).eval();
        assertThat(LayerTestSupport.maxAbsDifference(blurred, Reference.blur(input))).isLessThan(1e-12);
    }

    @Test
    void acceptsAnyBatchAndSpatialSizeAtRunTime() {
        Nd4j.getRandom().setSeed(15);
        ComputationGraph graph = LayerTestSupport.layerOnly(
                new SubPixelConvolution(2, 1, 2, 3, true, Activation.IDENTITY), InputType.convolutional(4, 6, 2));
        INDArray weights = graph.getLayer(LAYER).getParam(SubPixelConvolution.WEIGHT_KEY);
        for (long[] shape : new long[][] {{2, 2, 4, 6}, {1, 2, 7, 3}, {3, 2, 2, 2}}) {
            INDArray input = random(shape);
            INDArray expected = Reference.blur(Reference.pixelShuffle(Reference.conv2dSame(input, weights, null), 2));
            assertThat(LayerTestSupport.maxAbsDifference(graph.outputSingle(input), expected)).isLessThan(1e-10);
        }
    }

    @Test
    void infersInputChannelsFromTheInputType() {
        ComputationGraph graph = LayerTestSupport.layerOnly(
                new SubPixelConvolution(0, 2, 2, 1, false, Activation.RELU), InputType.convolutional(4, 4, 3));
        SubPixelConvolution conf = (SubPixelConvolution) graph.getLayer(LAYER).conf().getLayer();
        assertThat(conf.getInputChannels()).isEqualTo(3);
        assertThat(graph.getLayer(LAYER).getParam(SubPixelConvolution.WEIGHT_KEY).shape()).containsExactly(8, 3, 1, 1);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Nd4j.getRandom().setSeed(16);
        ComputationGraph graph = LayerTestSupport.graph(new SubPixelConvolution(2, 2, 2, 3, true, Activation.TANH),
                InputType.convolutional(3, 4, 2), true, new NoOp());
        Layer layer = graph.getLayer(LAYER);
        layer.setParam(SubPixelConvolution.BIAS_KEY, random(8).muli(0.5));
        boolean passed = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(graph)
                .inputs(new INDArray[] {random(2, 2, 3, 4)})
                .labels(new INDArray[] {random(2, 2, 6, 8)})
                .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                .subset(true).maxPerParam(40)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertThat(passed).as("gradient check").isTrue();
    }

    @Test
    void gradientsStayCorrectWhenTheSpatialSizeChanges() {
        Nd4j.getRandom().setSeed(20);
        ComputationGraph graph = LayerTestSupport.graph(new SubPixelConvolution(1, 1, 2, 3, true, Activation.TANH),
                InputType.convolutional(3, 4, 1), true, new NoOp());
        graph.getLayer(LAYER).setParam(SubPixelConvolution.BIAS_KEY, random(4));
        LayerTestSupport.assertGradientsMatchFiniteDifferences(graph, random(2, 1, 3, 4), random(2, 1, 6, 8));
        LayerTestSupport.assertGradientsMatchFiniteDifferences(graph, random(1, 1, 5, 2), random(1, 1, 10, 4));
    }

    @Test
    void sgdStepUsesTheTrueGradient() {
        Nd4j.getRandom().setSeed(17);
        LayerTestSupport.assertSgdStepFollowsNumericalGradient(
                new SubPixelConvolution(2, 1, 2, 3, true, Activation.TANH), InputType.convolutional(3, 4, 2),
                random(2, 2, 3, 4), random(2, 1, 6, 8),
                graph -> graph.getLayer(LAYER).setParam(SubPixelConvolution.BIAS_KEY, random(4)));
    }

    @Test
    void survivesModelSerializerRoundTrip(@TempDir Path directory) throws Exception {
        Nd4j.getRandom().setSeed(18);
        SubPixelConvolution conf = LayerTestSupport.assertLayerSurvivesRoundTrip(
                new SubPixelConvolution(3, 2, 3, 3, true, Activation.LEAKYRELU), InputType.convolutional(3, 5, 3),
                random(2, 3, 3, 5), graph -> graph.getLayer(LAYER).setParam(SubPixelConvolution.BIAS_KEY, random(18)),
                directory);
        assertThat(conf.getInputChannels()).isEqualTo(3);
        assertThat(conf.getOutputChannels()).isEqualTo(2);
        assertThat(conf.getUpscaleFactor()).isEqualTo(3);
        assertThat(conf.getKernelSize()).isEqualTo(3);
        assertThat(conf.isBlur()).isTrue();
        assertThat(conf.getActivation()).isEqualTo(Activation.LEAKYRELU);
    }

    @Test
    void outputTypeIsUpscaledWithOutputChannels() {
        InputType output = new SubPixelConvolution(4, 3, 2, 3, true, Activation.RELU)
                .getOutputType(0, InputType.convolutional(5, 7, 4));
        assertThat(output).isEqualTo(InputType.convolutional(10, 14, 3));
    }

    @ParameterizedTest(name = "{4}")
    @CsvSource(delimiter = '|', value = {
            "-1 | 2 | 2 | 1 | inputChannels must be >= 1, or 0 to infer it from the InputType, but was -1",
            " 2 | 0 | 2 | 1 | outputChannels must be >= 1 but was 0",
            " 2 | 2 | 1 | 1 | upscaleFactor must be >= 2 but was 1",
            " 2 | 2 | 2 | 2 | kernelSize must be odd and >= 1 (same padding) but was 2"})
    void rejectsInvalidArgumentsNamingFieldAndValue(int inputChannels, int outputChannels, int upscaleFactor,
                                                    int kernelSize, String message) {
        assertThatThrownBy(() -> new SubPixelConvolution(inputChannels, outputChannels, upscaleFactor, kernelSize,
                false, Activation.RELU))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void rejectsUnsupportedActivationsNamingThem() {
        assertThatThrownBy(() -> new SubPixelConvolution(2, 2, 2, 1, false, Activation.SOFTMAX))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("activation must be one of [")
                .hasMessageEndingWith("but was SOFTMAX");
        assertThatThrownBy(() -> new SubPixelConvolution(2, 2, 2, 1, false, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("but was null");
    }
}
