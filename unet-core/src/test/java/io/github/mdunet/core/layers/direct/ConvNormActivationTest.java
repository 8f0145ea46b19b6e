package io.github.mdunet.core.layers.direct;

import static io.github.mdunet.core.layers.LayerTestSupport.LAYER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.core.layers.LayerTestSupport;
import io.github.mdunet.core.layers.Reference;
import io.github.mdunet.core.testing.DoubleOneThreadTestBase;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryType;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;

/** The fused layer in DOUBLE: hand-written reference, gradient check, SGD step, running statistics, round trip. */
class ConvNormActivationTest extends DoubleOneThreadTestBase {

    private static final Set<String> RUNNING_STATISTICS = Set.of(ConvNormActivation.MEAN_KEY,
            ConvNormActivation.VARIANCE_KEY);
    private static final Set<String> RUNNING_STATISTICS_OF_LAYER = Set.of(LAYER + "_" + ConvNormActivation.MEAN_KEY,
            LAYER + "_" + ConvNormActivation.VARIANCE_KEY);

    private static INDArray random(long... shape) {
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    /** Non-default gamma, beta, running statistics and bias, so that every parameter matters. */
    private static void randomizeNormalization(Layer layer) {
        long channels = layer.getParam(ConvNormActivation.WEIGHT_KEY).size(0);
        if (layer.paramTable().containsKey(ConvNormActivation.GAMMA_KEY)) {
            layer.setParam(ConvNormActivation.GAMMA_KEY, random(channels).muli(0.3).addi(1));
            layer.setParam(ConvNormActivation.BETA_KEY, random(channels).muli(0.5));
            layer.setParam(ConvNormActivation.MEAN_KEY, random(channels).muli(0.2));
            layer.setParam(ConvNormActivation.VARIANCE_KEY, Nd4j.rand(DataType.DOUBLE, channels).addi(0.5));
        }
        if (layer.paramTable().containsKey(ConvNormActivation.BIAS_KEY)) {
            layer.setParam(ConvNormActivation.BIAS_KEY, random(channels).muli(0.5));
        }
    }

    /** Convolution, batch norm (batch statistics or the running ones), activation, written out. */
    private static INDArray reference(INDArray input, Layer layer, boolean training, Activation activation,
                                      int[] kernel, int[] stride, int[] padding, boolean same) {
        INDArray bias = layer.paramTable().get(ConvNormActivation.BIAS_KEY);
        INDArray z = Reference.conv2d(input, layer.getParam(ConvNormActivation.WEIGHT_KEY), bias, kernel,
                stride, padding, same);
        if (layer.paramTable().containsKey(ConvNormActivation.GAMMA_KEY)) {
            INDArray mean = training ? z.mean(0, 2, 3) : layer.getParam(ConvNormActivation.MEAN_KEY);
            INDArray variance = training ? z.var(false, 0, 2, 3) : layer.getParam(ConvNormActivation.VARIANCE_KEY);
            INDArray gamma = layer.getParam(ConvNormActivation.GAMMA_KEY);
            INDArray beta = layer.getParam(ConvNormActivation.BETA_KEY);
            INDArray normalized = z.dup();
            for (long c = 0; c < z.size(1); c++) {
                double scale = gamma.getDouble(c) / Math.sqrt(variance.getDouble(c) + ConvNormActivation.DEFAULT_EPS);
                INDArray channel = normalized.get(NDArrayIndex.all(),
                        NDArrayIndex.point(c));
                channel.subi(mean.getDouble(c)).muli(scale).addi(beta.getDouble(c));
            }
            z = normalized;
        }
        return Reference.activation(z, activation);
    }

    @ParameterizedTest(name = "{0} batchNorm={1} bias={2} stride={3} {4} pixelShuffle={5}")
    @CsvSource({"RELU, true, false, 1, Same, 1", "LEAKYRELU, true, true, 2, Same, 1",
            "IDENTITY, true, false, 2, Truncate, 1", "RELU, false, true, 1, Same, 1",
            "LEAKYRELU, false, true, 2, Truncate, 1", "RELU, false, true, 1, Same, 2",
            "LEAKYRELU, true, false, 1, Same, 2", "IDENTITY, false, true, 2, Truncate, 3"})
    void matchesConvolutionBatchNormActivationReference(Activation activation, boolean batchNorm, boolean bias,
                                                        int stride, ConvolutionMode mode, int pixelShuffle) {
        Nd4j.getRandom().setSeed(1);
        int[] padding = mode == ConvolutionMode.Same ? new int[] {0, 0} : new int[] {1, 1};
        ComputationGraph graph = LayerTestSupport.layerOnly(ConvNormActivation.builder().nOut(4L * pixelShuffle
                        * pixelShuffle).kernelSize(3, 3).stride(stride, stride).padding(padding[0], padding[1])
                .convolutionMode(mode).batchNorm(batchNorm).hasBias(bias).activation(activation)
                .pixelShuffle(pixelShuffle).build(), InputType.convolutional(7, 9, 3));
        Layer layer = graph.getLayer(LAYER);
        randomizeNormalization(layer);
        INDArray input = random(2, 3, 7, 9);
        int[] samePadding = mode == ConvolutionMode.Same ? samePadding(7, 9, 3, stride) : padding;
        for (boolean training : new boolean[] {true, false}) {
            INDArray unshuffled = reference(input, layer, training, activation, new int[] {3, 3},
                    new int[] {stride, stride}, samePadding, mode == ConvolutionMode.Same);
            INDArray expected = pixelShuffle == 1 ? unshuffled : Reference.pixelShuffle(unshuffled, pixelShuffle);
            INDArray output = graph.outputSingle(training, input);
            assertThat(output.shape()).isEqualTo(expected.shape());
            assertThat(LayerTestSupport.maxAbsDifference(output, expected)).as("training=%s", training)
                    .isLessThan(1e-10);
        }
    }

    /** DL4J's Same mode: total padding split with the smaller half at the top and left. */
    private static int[] samePadding(int height, int width, int kernel, int stride) {
        int outHeight = (height + stride - 1) / stride;
        int outWidth = (width + stride - 1) / stride;
        int padHeight = Math.max((outHeight - 1) * stride + kernel - height, 0) / 2;
        int padWidth = Math.max((outWidth - 1) * stride + kernel - width, 0) / 2;
        return new int[] {padHeight, padWidth};
    }

    @ParameterizedTest(name = "{0} batchNorm={1} bias={2} stride={3} pixelShuffle={4}")
    @CsvSource({"RELU, true, false, 1, 1", "LEAKYRELU, true, false, 2, 1", "IDENTITY, true, false, 1, 1",
            "LEAKYRELU, false, true, 1, 1", "RELU, false, true, 1, 2", "LEAKYRELU, true, false, 2, 2",
            "IDENTITY, false, true, 1, 2"})
    void gradientsMatchFiniteDifferences(Activation activation, boolean batchNorm, boolean bias, int stride,
                                         int pixelShuffle) {
        Nd4j.getRandom().setSeed(2);
        ComputationGraph graph = LayerTestSupport.graph(ConvNormActivation.builder().nOut(3L * pixelShuffle
                        * pixelShuffle).kernelSize(3, 3).stride(stride, stride).batchNorm(batchNorm).hasBias(bias)
                        .activation(activation).pixelShuffle(pixelShuffle).build(),
                InputType.convolutional(5, 6, 2), true, new NoOp());
        randomizeNormalization(graph.getLayer(LAYER));
        INDArray labels = random(graph.outputSingle(random(2, 2, 5, 6)).shape());
        LayerTestSupport.assertGradientsMatchFiniteDifferences(graph, random(2, 2, 5, 6), labels,
                RUNNING_STATISTICS_OF_LAYER);
    }

    /**
     * Each way of the convolution's forward and backward passes, forced through the layer ({@link ConvChoice.Always};
     * the timed choice leaves convolutions this small to libnd4j's ops), against finite differences.
     */
    @ParameterizedTest(name = "{0} {1} {2}x{2} {3} batchNorm={4} bias={5} pixelShuffle={6}")
    @CsvSource({"CONV2D, GEMM, 3, LEAKYRELU, true, false, 1", "CONV2D, GEMM, 3, IDENTITY, false, true, 1",
            "CONV2D, GEMM, 3, RELU, false, true, 1", "CONV2D, GEMM, 3, LEAKYRELU, true, false, 2",
            "CONV2D, GEMM, 3, IDENTITY, false, true, 2", "CONV2D, COMBINED, 3, RELU, false, true, 2",
            "POINTWISE, POINTWISE, 1, LEAKYRELU, true, false, 1", "POINTWISE, POINTWISE, 1, RELU, false, true, 1",
            "POINTWISE, COMBINED, 1, IDENTITY, false, true, 2", "CONV2D, POINTWISE, 1, LEAKYRELU, true, false, 2",
            "CONV2D_PER_IMAGE, COMBINED_PER_IMAGE, 3, LEAKYRELU, true, false, 1",
            "CONV2D_PER_IMAGE, COMBINED_PER_IMAGE, 3, RELU, false, true, 2",
            "CONV2D_PER_IMAGE, COMBINED_PER_IMAGE, 1, IDENTITY, true, false, 1"})
    void eachWayGivesTheTrueGradientsThroughTheLayer(ConvForward forward, ConvBackprop backward, int kernel,
                                                     Activation activation, boolean batchNorm, boolean bias,
                                                     int pixelShuffle) {
        Nd4j.getRandom().setSeed(2);
        ComputationGraph graph = LayerTestSupport.graph(ConvNormActivation.builder().nOut(3L * pixelShuffle
                        * pixelShuffle).kernelSize(kernel, kernel).batchNorm(batchNorm).hasBias(bias)
                        .activation(activation).pixelShuffle(pixelShuffle).build(), InputType.convolutional(5, 6, 2),
                true, new NoOp());
        takeWays(graph, forward, backward);
        randomizeNormalization(graph.getLayer(LAYER));
        INDArray labels = random(graph.outputSingle(random(2, 2, 5, 6)).shape());
        Set<String> excluded = new HashSet<>(RUNNING_STATISTICS_OF_LAYER);
        if (kernel == 1 && batchNorm) {
            // the bias before a 1 x 1 convolution shifts each channel by a constant, which batch norm takes out: its
            // true gradient is 0, and libnd4j's batchnorm_bp leaves about 1e-7 there (relative error 1)
            excluded.add(LayerTestSupport.BEFORE + "_b");
        }
        LayerTestSupport.assertGradientsMatchFiniteDifferences(graph, random(2, 2, 5, 6), labels, excluded);
    }

    /** The layer runs the ways its choice gives: one that does not apply to its convolution is refused. */
    @Test
    void theLayerTakesTheWaysItsChoiceGives() {
        ComputationGraph strided = LayerTestSupport.graph(ConvNormActivation.builder().nOut(3).kernelSize(3, 3)
                .stride(2, 2).build(), InputType.convolutional(5, 6, 2), true, new NoOp());
        takeWays(strided, ConvForward.CONV2D, ConvBackprop.GEMM);
        INDArray input = random(2, 2, 5, 6);
        INDArray labels = random(strided.outputSingle(input).shape());
        strided.setInputs(input);
        strided.setLabels(labels);
        assertThatThrownBy(strided::computeGradientAndScore).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the way GEMM does not apply to a convolution of input [2, 2, 5, 6]");
        ComputationGraph threeByThree = LayerTestSupport.layerOnly(ConvNormActivation.builder().nOut(3)
                .kernelSize(3, 3).build(), InputType.convolutional(5, 6, 2));
        takeWays(threeByThree, ConvForward.POINTWISE, ConvBackprop.COMBINED);
        assertThatThrownBy(() -> threeByThree.outputSingle(input)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the way POINTWISE does not apply");
    }

    private static void takeWays(ComputationGraph graph, ConvForward forward, ConvBackprop backward) {
        ((ConvNormActivationLayer) graph.getLayer(LAYER)).convChoice(new ConvChoice.Always(forward, backward));
    }

    @Test
    void sgdStepUsesTheTrueGradientAndMovesRunningStatisticsAsPyTorchDoes() {
        Nd4j.getRandom().setSeed(3);
        INDArray input = random(2, 2, 5, 6);
        INDArray labels = random(2, 3, 5, 6);
        ConvNormActivation conf = ConvNormActivation.builder().nOut(3).kernelSize(3, 3)
                .activation(new ActivationLReLU(0.2)).decay(0.8).build();
        LayerTestSupport.assertSgdStepFollowsNumericalGradient(conf, InputType.convolutional(5, 6, 2), input, labels,
                graph -> randomizeNormalization(graph.getLayer(LAYER)), RUNNING_STATISTICS);

        ComputationGraph graph = LayerTestSupport.graph(conf.clone(), InputType.convolutional(5, 6, 2), true,
                new Sgd(0.1));
        Layer layer = graph.getLayer(LAYER);
        randomizeNormalization(layer);
        INDArray meanBefore = layer.getParam(ConvNormActivation.MEAN_KEY).dup();
        INDArray varianceBefore = layer.getParam(ConvNormActivation.VARIANCE_KEY).dup();
        INDArray layerInput = graph.feedForward(input, true).get(LayerTestSupport.BEFORE);
        INDArray convolved = Reference.conv2d(layerInput, layer.getParam(ConvNormActivation.WEIGHT_KEY),
                null, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, true);
        graph.fit(new INDArray[] {input}, new INDArray[] {labels});
        INDArray expectedMean = meanBefore.mul(0.8).addi(convolved.mean(0, 2, 3).muli(0.2));
        // the unbiased variance, as PyTorch's running variance takes it (DL4J's BatchNormalization takes the biased)
        INDArray expectedVariance = varianceBefore.mul(0.8).addi(convolved.var(true, 0, 2, 3).muli(0.2));
        assertThat(LayerTestSupport.maxAbsDifference(layer.getParam(ConvNormActivation.MEAN_KEY), expectedMean))
                .isLessThan(1e-12);
        assertThat(LayerTestSupport.maxAbsDifference(layer.getParam(ConvNormActivation.VARIANCE_KEY),
                expectedVariance)).isLessThan(1e-12);
    }

    @Test
    void sgdStepOfASubPixelConvolutionUsesTheTrueGradient() {
        Nd4j.getRandom().setSeed(6);
        ConvNormActivation conf = ConvNormActivation.builder().nOut(8).kernelSize(1, 1).batchNorm(false)
                .hasBias(true).icnrUpscaleFactor(2).pixelShuffle(2).activation(new ActivationLReLU(0.1)).build();
        LayerTestSupport.assertSgdStepFollowsNumericalGradient(conf, InputType.convolutional(3, 4, 2),
                random(2, 2, 3, 4), random(2, 2, 6, 8), graph -> randomizeNormalization(graph.getLayer(LAYER)));
    }

    @Test
    void survivesModelSerializerRoundTrip(@TempDir Path directory) throws Exception {
        Nd4j.getRandom().setSeed(4);
        ComputationGraph graph = LayerTestSupport.graph(ConvNormActivation.builder().nOut(4).kernelSize(3, 1)
                        .stride(2, 1).padding(1, 0).dilation(1, 1).convolutionMode(ConvolutionMode.Truncate)
                        .hasBias(true).eps(1e-3).decay(0.7).activation(new ActivationLReLU(0.3)).pixelShuffle(2)
                        .gammaInit(0.5).weightInit(new WeightInitDistribution(new NormalDistribution(0, 0.05))).build(),
                InputType.convolutional(6, 5, 3), true, new Adam(1e-2));
        randomizeNormalization(graph.getLayer(LAYER));
        INDArray input = random(2, 3, 6, 5);
        ComputationGraph restored = LayerTestSupport.assertSurvivesRoundTrip(graph, input, directory);
        ConvNormActivation conf = (ConvNormActivation) restored.getLayer(LAYER).conf().getLayer();
        assertThat(conf.getKernelSize()).containsExactly(3, 1);
        assertThat(conf.getStride()).containsExactly(2, 1);
        assertThat(conf.getPadding()).containsExactly(1, 0);
        assertThat(conf.getConvolutionMode()).isEqualTo(ConvolutionMode.Truncate);
        assertThat(conf.isHasBias()).isTrue();
        assertThat(conf.isBatchNorm()).isTrue();
        assertThat(conf.getEps()).isEqualTo(1e-3);
        assertThat(conf.getDecay()).isEqualTo(0.7);
        assertThat(conf.getGammaInit()).isEqualTo(0.5);
        assertThat(conf.getActivationFn()).isEqualTo(new ActivationLReLU(0.3));
        assertThat(conf.getNIn()).isEqualTo(3);
        assertThat(conf.getPixelShuffle()).isEqualTo(2);
        assertThat(conf.getWeightInitFn()).isEqualTo(new WeightInitDistribution(new NormalDistribution(0, 0.05)));
        assertThat(restored.outputSingle(input).shape()).containsExactly(2, 1, 6, 10);
    }

    @Test
    void theWeightInitStartsTheWeightsAndUnsetTheNetworksIsUsed() {
        Nd4j.getRandom().setSeed(6);
        InputType input = InputType.convolutional(4, 4, 32);
        INDArray small = LayerTestSupport.layerOnly(pointwise().weightInit(new WeightInitDistribution(
                new NormalDistribution(0, 0.01))).build(), input).getLayer(LAYER)
                .getParam(ConvNormActivation.WEIGHT_KEY);
        INDArray unset = LayerTestSupport.layerOnly(pointwise().build(), input).getLayer(LAYER)
                .getParam(ConvNormActivation.WEIGHT_KEY);
        assertThat(small.stdNumber().doubleValue()).as("N(0, 0.01) over 2048 weights").isCloseTo(0.01,
                within(0.001));
        assertThat(unset.stdNumber().doubleValue()).as("the network's Xavier, sqrt(2 / (32 + 64))")
                .isCloseTo(Math.sqrt(2.0 / 96), within(0.012));
    }

    private static ConvNormActivation.Builder pointwise() {
        return ConvNormActivation.builder().nOut(64).kernelSize(1, 1).batchNorm(false).hasBias(true)
                .activation(Activation.IDENTITY);
    }

    @Test
    void equalSettingsMakeEqualLayersAndTheDescriptionNamesEachSetting() {
        ConvNormActivation layer = subPixelBlock().build();
        assertThat(layer).isEqualTo(subPixelBlock().build()).hasSameHashCodeAs(subPixelBlock().build())
                .isNotEqualTo(subPixelBlock().dilation(1, 1).build())
                .isNotEqualTo(subPixelBlock().eps(1e-3).build())
                .isNotEqualTo(subPixelBlock().gammaInit(0).build())
                .isNotEqualTo(subPixelBlock().nOut(8).build());
        assertThat(layer.toString()).startsWith("ConvNormActivation(layerName=c1, nIn=0, nOut=4, activation=")
                .contains("kernelSize=[3, 1]", "dilation=[2, 1]", "batchNorm=true", "pixelShuffle=2", "gammaInit=1.0");
    }

    @Test
    void gammaStartsAtGammaInitAndAZeroGammaStartsTheOutputAtBeta() {
        Nd4j.getRandom().setSeed(8);
        InputType type = InputType.convolutional(4, 5, 3);
        ComputationGraph zero = LayerTestSupport.layerOnly(ConvNormActivation.builder().nOut(4)
                .activation(Activation.IDENTITY).gammaInit(0).build(), type);
        assertThat(zero.getLayer(LAYER).getParam(ConvNormActivation.GAMMA_KEY).maxNumber().doubleValue())
                .isEqualTo(0.0);
        assertThat(zero.getLayer(LAYER).getParam(ConvNormActivation.VARIANCE_KEY).minNumber().doubleValue())
                .isEqualTo(1.0);
        INDArray input = random(2, 3, 4, 5);
        assertThat(zero.outputSingle(input).amaxNumber().doubleValue()).as("beta, 0").isEqualTo(0.0);
        ComputationGraph unset = LayerTestSupport.layerOnly(ConvNormActivation.builder().nOut(4).build(), type);
        assertThat(unset.getLayer(LAYER).getParam(ConvNormActivation.GAMMA_KEY).minNumber().doubleValue())
                .isEqualTo(1.0);
        assertThatThrownBy(() -> ConvNormActivation.builder().nOut(2).gammaInit(Double.NaN).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ConvNormActivation: gammaInit must be finite but was NaN");
    }

    private static ConvNormActivation.Builder subPixelBlock() {
        return ConvNormActivation.builder().name("c1").nOut(4).kernelSize(3, 1).dilation(2, 1).pixelShuffle(2);
    }

    @Test
    void icnrInitialisationCopiesOneBaseKernelToEachSubPixelFilter() {
        Nd4j.getRandom().setSeed(5);
        ComputationGraph graph = LayerTestSupport.graph(ConvNormActivation.builder().nOut(8).kernelSize(1, 1)
                        .batchNorm(false).hasBias(true).icnrUpscaleFactor(2).build(),
                InputType.convolutional(4, 4, 3), true, new NoOp());
        INDArray weights = graph.getLayer(LAYER).getParam(ConvNormActivation.WEIGHT_KEY).dup();
        assertThat(weights.shape()).containsExactly(8, 3, 1, 1);
        for (int c = 0; c < 2; c++) {
            for (int s = 1; s < 4; s++) {
                assertThat(weights.slice(c * 4 + s)).isEqualTo(weights.slice(c * 4));
            }
        }
        assertThat(weights.slice(0)).isNotEqualTo(weights.slice(4));
    }

    @Test
    void outputTypeIsTheConvolutionsAndNInIsInferred() {
        ConvNormActivation conf = ConvNormActivation.builder().nOut(5).kernelSize(3, 3).stride(2, 2).build();
        conf.setNIn(InputType.convolutional(9, 7, 3), false);
        assertThat(conf.getNIn()).isEqualTo(3);
        assertThat(conf.getOutputType(0, InputType.convolutional(9, 7, 3)))
                .isEqualTo(InputType.convolutional(5, 4, 5));
        ConvNormActivation subPixel = ConvNormActivation.builder().nOut(18).kernelSize(1, 1).pixelShuffle(3).build();
        assertThat(subPixel.getOutputType(0, InputType.convolutional(4, 5, 2)))
                .isEqualTo(InputType.convolutional(12, 15, 2));
        LayerMemoryReport report = subPixel.getMemoryReport(InputType.convolutional(4, 5, 2));
        assertThat(report.getOutputType()).isEqualTo(InputType.convolutional(12, 15, 2));
        assertThat(report.getMemoryBytes(MemoryType.WORKING_MEMORY_VARIABLE, 1, MemoryUseMode.INFERENCE, CacheMode.NONE,
                DataType.FLOAT)).as("the convolution's and the unshuffled output in a forward pass")
                .isEqualTo(2 * 12 * 15 * 2 * 4);
    }

    /**
     * A wide k x k convolution's training report holds one image's patches as fixed working memory, whatever the batch
     * (the SGEMM ways are among its timed candidates on the CPU backend), frozen too (the GEMM way's input gradient
     * takes them); a 1 x 1, strided or small one none.
     */
    @Test
    void theTrainingReportCountsOneImagesPatchesWhereAWayByIm2colIsACandidate() {
        InputType input = InputType.convolutional(8, 10, 128);
        ConvNormActivation wide = ConvNormActivation.builder().nOut(128).kernelSize(3, 3).build();
        wide.setNIn(input, false);
        long patches = 128L * 3 * 3 * 8 * 10;
        assertThat(wide.backpropPatchElements((InputType.InputTypeConvolutional) input)).isEqualTo(patches);
        for (int batch : new int[] {1, 4}) {
            assertThat(fixedTrainingWorkingBytes(wide, input, batch)).as("batch %d", batch).isEqualTo(patches * 4);
        }
        ConvNormActivation frozen = ConvNormActivation.builder().nOut(128).kernelSize(3, 3).build()
                .withConvolutionFrozen();
        frozen.setNIn(input, false);
        assertThat(fixedTrainingWorkingBytes(frozen, input, 2)).as("frozen").isEqualTo(patches * 4);
        ConvNormActivation truncated = ConvNormActivation.builder().nOut(128).kernelSize(3, 3).padding(0, 0)
                .convolutionMode(ConvolutionMode.Truncate).build();
        truncated.setNIn(input, false);
        assertThat(fixedTrainingWorkingBytes(truncated, input, 2)).as("Truncate, 6 x 8 out")
                .isEqualTo(128L * 3 * 3 * 6 * 8 * 4);
        for (ConvNormActivation none : List.of(
                ConvNormActivation.builder().nOut(1024).kernelSize(1, 1).build(),
                ConvNormActivation.builder().nOut(128).kernelSize(3, 3).stride(2, 2).build(),
                ConvNormActivation.builder().nOut(64).kernelSize(3, 3).build())) {
            none.setNIn(input, false);
            assertThat(fixedTrainingWorkingBytes(none, input, 2)).as(none.describe()).isZero();
        }
    }

    private static long fixedTrainingWorkingBytes(ConvNormActivation layer, InputType input, int batch) {
        return layer.getMemoryReport(input).getMemoryBytes(MemoryType.WORKING_MEMORY_FIXED, batch,
                MemoryUseMode.TRAINING, CacheMode.NONE,
                DataType.FLOAT);
    }

    @Test
    void rejectsInvalidSettingsNamingTheField() {
        assertThatThrownBy(() -> ConvNormActivation.builder().name("b1").nOut(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ConvNormActivation 'b1': nOut must be >= 1 but was 0");
        assertThatThrownBy(() -> ConvNormActivation.builder().nOut(2).activation(Activation.TANH).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ConvNormActivation: activation must be identity, relu")
                .hasMessageEndingWith("but was tanh");
        assertThatThrownBy(() -> ConvNormActivation.builder().nOut(2).decay(1.0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ConvNormActivation: decay must be in [0, 1) but was 1.0");
        assertThatThrownBy(() -> ConvNormActivation.builder().nOut(6).icnrUpscaleFactor(2).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ConvNormActivation: nOut (6) must be divisible by icnrUpscaleFactor^2 = 4");
        assertThatThrownBy(() -> ConvNormActivation.builder().nOut(8).pixelShuffle(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ConvNormActivation: pixelShuffle must be >= 1 (1 = no shuffle) but was 0");
        assertThatThrownBy(() -> ConvNormActivation.builder().name("up").nOut(8).pixelShuffle(3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ConvNormActivation 'up': nOut (8) must be divisible by pixelShuffle^2 = 9");
        assertThatThrownBy(() -> ConvNormActivation.builder().nOut(2).kernelSize(0, 3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ConvNormActivation: kernelSize must be two values >= 1 but was [0, 3]");
        assertThatThrownBy(() -> ConvNormActivation.builder().nOut(2).convolutionMode(ConvolutionMode.Causal).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ConvNormActivation: convolutionMode must be Same, Truncate or Strict but was Causal");
    }

    @Test
    void backpropWithoutAForwardPassIsRefused() {
        ComputationGraph graph = LayerTestSupport.layerOnly(ConvNormActivation.builder().nOut(2).build(),
                InputType.convolutional(4, 4, 2));
        Layer layer = graph.getLayer(LAYER);
        layer.setInput(random(1, 2, 4, 4), LayerWorkspaceMgr.noWorkspaces());
        assertThatThrownBy(() -> layer.backpropGradient(random(1, 2, 4, 4), LayerWorkspaceMgr.noWorkspaces()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ConvNormActivation 'layer': backpropGradient needs a forward pass (activate) first");
    }

    /** One value per channel (a last batch of one image at a 1 x 1 map): the mean moves, the variance stays. */
    @Test
    void oneValuePerChannelMovesTheRunningMeanAndKeepsTheRunningVariance() {
        Nd4j.getRandom().setSeed(4);
        ConvNormActivation conf = ConvNormActivation.builder().nOut(3).kernelSize(1, 1).decay(0.8).build();
        ComputationGraph graph = LayerTestSupport.graph(conf, InputType.convolutional(1, 1, 2), true, new Sgd(0.1));
        Layer layer = graph.getLayer(LAYER);
        randomizeNormalization(layer);
        INDArray input = random(1, 2, 1, 1);
        INDArray meanBefore = layer.getParam(ConvNormActivation.MEAN_KEY).dup();
        INDArray varianceBefore = layer.getParam(ConvNormActivation.VARIANCE_KEY).dup();
        INDArray layerInput = graph.feedForward(input, true).get(LayerTestSupport.BEFORE);
        INDArray convolved = Reference.conv2d(layerInput, layer.getParam(ConvNormActivation.WEIGHT_KEY), null,
                new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0}, false);
        graph.fit(new INDArray[] {input}, new INDArray[] {random(1, 3, 1, 1)});
        INDArray expectedMean = meanBefore.mul(0.8).addi(convolved.mean(0, 2, 3).muli(0.2));
        assertThat(LayerTestSupport.maxAbsDifference(layer.getParam(ConvNormActivation.MEAN_KEY), expectedMean))
                .isLessThan(1e-12);
        assertThat(layer.getParam(ConvNormActivation.VARIANCE_KEY)).isEqualTo(varianceBefore);
    }

    /**
     * Backprop after {@code activate(training = false)}, as DL4J's FrozenLayerWithBackprop runs its layer: the
     * gradients of {@code sum(output * r)} for every parameter entry and input entry against central differences of
     * the inference output, and zero steps for the running statistics.
     */
    @ParameterizedTest(name = "{0} batchNorm={1} bias={2} pixelShuffle={3}")
    @CsvSource({"RELU, true, false, 1", "LEAKYRELU, true, true, 2", "IDENTITY, true, false, 1",
            "RELU, false, true, 1"})
    void backpropAfterAnInferenceForwardPassMatchesFiniteDifferences(Activation activation, boolean batchNorm,
                                                                     boolean bias, int pixelShuffle) {
        Nd4j.getRandom().setSeed(8);
        ComputationGraph graph = LayerTestSupport.layerOnly(ConvNormActivation.builder().nOut(3L * pixelShuffle
                        * pixelShuffle).kernelSize(3, 3).batchNorm(batchNorm).hasBias(bias).activation(activation)
                        .pixelShuffle(pixelShuffle).build(), InputType.convolutional(5, 6, 2));
        graph.initGradientsView();
        Layer layer = graph.getLayer(LAYER);
        randomizeNormalization(layer);
        LayerTestSupport.assertInferenceBackpropMatchesFiniteDifferences(layer, random(2, 2, 5, 6),
                Set.of(ConvNormActivation.MEAN_KEY, ConvNormActivation.VARIANCE_KEY));
    }

    /**
     * fastai's train_bn: a frozen convolution takes no step (SGD with Adam's state and no regularisation alike), its
     * batch norm takes the true gradient's step and moves its running statistics, and the layer before it gets the
     * gradient it gets from the unfrozen layer. Checked against finite differences in DOUBLE, and through a restore;
     * with the frozen convolution's backward pass by {@code conv2d_bp} (on the whole batch and one image at a time)
     * and by the ways that compute the input's gradient alone.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"COMBINED", "GEMM", "COMBINED_PER_IMAGE"})
    void aFrozenConvolutionTakesNoStepWhileItsBatchNormTrains(ConvBackprop way, @TempDir Path directory)
            throws Exception {
        Nd4j.getRandom().setSeed(11);
        INDArray input = random(2, 2, 5, 6);
        INDArray labels = random(2, 3, 5, 6);
        ConvNormActivation trainable = ConvNormActivation.builder().nOut(3).kernelSize(3, 3).hasBias(true)
                .activation(new ActivationLReLU(0.2)).decay(0.8).build();
        ConvNormActivation frozen = trainable.withConvolutionFrozen();
        assertThat(frozen.isConvolutionFrozen()).isTrue();
        assertThat(trainable.isConvolutionFrozen()).isFalse();
        assertThat(frozen).isNotEqualTo(trainable);
        assertThat(frozen.toString()).contains("convolutionFrozen=true");
        assertThat(frozen.getUpdaterByParam(ConvNormActivation.WEIGHT_KEY)).isInstanceOf(NoOp.class);
        assertThat(frozen.getRegularizationByParam(ConvNormActivation.WEIGHT_KEY)).isNull();

        Set<String> convolution = Set.of(ConvNormActivation.WEIGHT_KEY, ConvNormActivation.BIAS_KEY);
        Set<String> notChecked = new HashSet<>(RUNNING_STATISTICS);
        notChecked.addAll(convolution);
        LayerTestSupport.assertSgdStepFollowsNumericalGradient(frozen, InputType.convolutional(5, 6, 2), input, labels,
                graph -> {
                    takeWays(graph, ConvForward.CONV2D, way);
                    randomizeNormalization(graph.getLayer(LAYER));
                }, notChecked);

        ComputationGraph graph = LayerTestSupport.graph(frozen, InputType.convolutional(5, 6, 2), true,
                new Adam(1e-2));
        takeWays(graph, ConvForward.CONV2D, way);
        ComputationGraph reference = LayerTestSupport.graph(trainable, InputType.convolutional(5, 6, 2), true,
                new Adam(1e-2));
        randomizeNormalization(graph.getLayer(LAYER));
        reference.setParams(graph.params());
        Map<String, INDArray> before = new LinkedHashMap<>();
        graph.getLayer(LAYER).paramTable().forEach((key, value) -> before.put(key, value.dup()));
        Gradient gradient = gradient(graph, input, labels);
        Gradient referenceGradient = gradient(reference, input, labels);
        String beforeWeights = LayerTestSupport.BEFORE + "_" + ConvNormActivation.WEIGHT_KEY;
        assertThat(LayerTestSupport.maxAbsDifference(gradient.getGradientFor(beforeWeights),
                referenceGradient.getGradientFor(beforeWeights))).as("the layer before's gradient").isLessThan(1e-12);
        String gamma = LAYER + "_" + ConvNormActivation.GAMMA_KEY;
        assertThat(LayerTestSupport.maxAbsDifference(gradient.getGradientFor(gamma),
                referenceGradient.getGradientFor(gamma))).isLessThan(1e-12);

        graph.fit(new INDArray[] {input}, new INDArray[] {labels});
        graph.fit(new INDArray[] {input}, new INDArray[] {labels});
        Layer layer = graph.getLayer(LAYER);
        for (String key : convolution) {
            assertThat(layer.getParam(key)).as(key).isEqualTo(before.get(key));
        }
        for (String key : List.of(ConvNormActivation.GAMMA_KEY, ConvNormActivation.BETA_KEY,
                ConvNormActivation.MEAN_KEY, ConvNormActivation.VARIANCE_KEY)) {
            assertThat(layer.getParam(key)).as(key).isNotEqualTo(before.get(key));
        }
        ComputationGraph restored = LayerTestSupport.assertSurvivesRoundTrip(graph, input, directory);
        assertThat(((ConvNormActivation) restored.getLayer(LAYER).conf().getLayer()).isConvolutionFrozen()).isTrue();
    }

    private static Gradient gradient(ComputationGraph graph, INDArray input, INDArray labels) {
        graph.setInputs(input);
        graph.setLabels(labels);
        graph.computeGradientAndScore();
        Gradient gradient = graph.gradient();
        assertThat(gradient.gradientForVariable()).isNotEmpty();
        return gradient;
    }

    /**
     * The probe of the review: a fused block under FrozenLayerWithBackprop between a trainable convolution and the
     * output fits, keeps its parameters, and passes back the epsilon whose gradients the convolution checks.
     */
    @Test
    void trainsTheLayersBeforeItUnderFrozenLayerWithBackprop() {
        Nd4j.getRandom().setSeed(9);
        ConvNormActivation block = ConvNormActivation.builder().nOut(3).kernelSize(3, 3)
                .activation(new ActivationLReLU(0.2)).build();
        ComputationGraph graph = LayerTestSupport.graph(new FrozenLayerWithBackprop(block),
                InputType.convolutional(5, 6, 2), true, new NoOp());
        randomizeNormalization(graph.getLayer(LAYER));
        INDArray input = random(2, 2, 5, 6);
        INDArray labels = random(2, 3, 5, 6);
        Set<String> frozen = graph.getLayer(LAYER).paramTable().keySet().stream().map(key -> LAYER + "_" + key)
                .collect(Collectors.toSet());
        LayerTestSupport.assertGradientsMatchFiniteDifferences(graph, input, labels, frozen);

        ComputationGraph trained = LayerTestSupport.graph(new FrozenLayerWithBackprop(block.clone()),
                InputType.convolutional(5, 6, 2), true, new Sgd(0.1));
        randomizeNormalization(trained.getLayer(LAYER));
        INDArray frozenBefore = trained.getLayer(LAYER).params().dup();
        INDArray beforeBefore = trained.getLayer(LayerTestSupport.BEFORE).params().dup();
        trained.fit(new INDArray[] {input}, new INDArray[] {labels});
        assertThat(trained.getLayer(LAYER).params()).isEqualTo(frozenBefore);
        assertThat(trained.getLayer(LayerTestSupport.BEFORE).params()).isNotEqualTo(beforeBefore);
    }
}
