package io.github.mdunet.core.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.blocks.VertexNames;
import io.github.mdunet.core.config.DecoderLayout;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.layers.BatchNormParams;
import io.github.mdunet.core.layers.direct.ConvNormActivation;
import io.github.mdunet.core.layers.direct.DirectBatchNorm;
import io.github.mdunet.core.layers.direct.DirectBilinearResize;
import io.github.mdunet.core.layers.direct.DirectBlur;
import io.github.mdunet.core.model.UNet;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The U-Net on the fused path against the same U-Net on DL4J's layers: with the stock parameters copied in, the two
 * compute the same outputs in training and inference mode and take the same SGD step (FLOAT, the oneDNN path); the
 * fused graph has no stock convolution-norm-activation chain or SameDiff layer left; it saves and loads.
 */
class FusedLayersGraphTest {

    /** The suffix of a fused convolution-batch norm block, {@code P_conv_bn_act} or {@code P_conv_bn}. */
    private static final String FUSED_BLOCK = "_conv_bn";

    static Stream<Arguments> configurations() {
        return Stream.of(
                Arguments.of("pixel shuffle, 64x48", new UpsampleMode.PixelShuffle(false), Normalization.BATCH, 64, 48,
                        false, DecoderLayout.FASTAI),
                Arguments.of("pixel shuffle with blur, odd size, last cross", new UpsampleMode.PixelShuffle(true),
                        Normalization.BATCH, 37, 29, true, DecoderLayout.FASTAI),
                Arguments.of("bilinear conv, odd size", new UpsampleMode.BilinearConv(), Normalization.BATCH, 33, 41,
                        false, DecoderLayout.FASTAI),
                Arguments.of("pixel shuffle, no normalisation", new UpsampleMode.PixelShuffle(false),
                        Normalization.NONE, 32, 32, false, DecoderLayout.FASTAI),
                Arguments.of("fastai's default: blur, last cross, no norm", new UpsampleMode.PixelShuffle(true),
                        Normalization.NONE, 37, 29, true, DecoderLayout.FASTAI),
                Arguments.of("formats 1 to 5: blur, last cross, no normalisation", new UpsampleMode.PixelShuffle(true),
                        Normalization.NONE, 37, 29, true, DecoderLayout.FORMATS_1_TO_5),
                Arguments.of("formats 1 to 5: blur, last cross", new UpsampleMode.PixelShuffle(true),
                        Normalization.BATCH, 37, 29, true, DecoderLayout.FORMATS_1_TO_5));
    }

    private static UNetConfig config(UpsampleMode mode, Normalization normalization, int height, int width,
                                     boolean lastCross, BlockLayers layers) {
        return config(mode, normalization, height, width, lastCross, DecoderLayout.FASTAI, layers);
    }

    private static UNetConfig config(UpsampleMode mode, Normalization normalization, int height, int width,
                                     boolean lastCross, DecoderLayout layout, BlockLayers layers) {
        return UNetConfig.builder().encoder(new ClassicEncoder(2, 4, normalization))
                .input(new ImageShape(2, height, width)).numClasses(3).upsample(mode).normalization(normalization)
                .lastCross(lastCross).head(new HeadActivation.Softmax()).updater(new Sgd(0.01)).layers(layers)
                .decoderLayout(layout).seed(9).build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void fusedPathComputesWhatTheStockPathComputes(String name, UpsampleMode mode, Normalization normalization,
                                                   int height, int width, boolean lastCross, DecoderLayout layout) {
        UNet stock = UNet.build(config(mode, normalization, height, width, lastCross, layout, BlockLayers.STOCK));
        UNet fused = UNet.build(config(mode, normalization, height, width, lastCross, layout, BlockLayers.FUSED));
        assertThat(fused.numParams()).isEqualTo(stock.numParams());
        Nd4j.getRandom().setSeed(3);
        // one step first, so that the running statistics and biases are not their initial values
        DataSet warmUp = batch(2, height, width, 5);
        stock.graph().fit(warmUp);
        StockToFused.copy(stock.graph(), fused.graph());

        INDArray input = batch(2, height, width, 6).getFeatures();
        for (boolean training : new boolean[] {false, true}) {
            INDArray expected = stock.graph().outputSingle(training, input);
            INDArray actual = fused.graph().outputSingle(training, input);
            assertThat(actual.sub(expected).amaxNumber().doubleValue()).as("training=%s", training)
                    .isLessThan(1e-4);
        }
        DataSet step = batch(2, height, width, 7);
        Map<FusedNorm, INDArray> variancesBefore = new HashMap<>();
        for (FusedNorm norm : fusedNorms(fused)) {
            variancesBefore.put(norm, BatchNormParams.runningVariance(stock.graph().getLayer(norm.stockName())
                    .paramTable()).dup());
        }
        boolean batchNormsDropped = normalization == Normalization.NONE && layout == DecoderLayout.FORMATS_1_TO_5;
        assertThat(variancesBefore.isEmpty()).as("no fused batch norm").isEqualTo(batchNormsDropped);
        assertThat(variancesBefore.keySet()).as("the skip's and the mid block's batch norms")
                .extracting(FusedNorm::fusedName)
                .containsAll(batchNormsDropped ? List.of() : List.of("dec1_skip_bn", "mid_in_bn"));
        stock.graph().fit(step);
        fused.graph().fit(step);
        // in training mode, which normalises with the batch's statistics: the running variances differ by design
        INDArray expected = stock.graph().outputSingle(true, input);
        INDArray actual = fused.graph().outputSingle(true, input);
        assertThat(expected.isNaN().any()).isFalse();
        assertThat(actual.sub(expected).amaxNumber().doubleValue()).as("after an SGD step").isLessThan(2e-4);
        assertRunningStatisticsMovedAsPyTorchMovesThem(stock, fused, step, variancesBefore);
    }

    /**
     * A batch norm of the fused graph ({@code fusedName}, with the running statistics under the keys DL4J's batch norm
     * gives them) and its stock namesake ({@code stockName}), whose statistics are those of {@code normalized}.
     */
    private record FusedNorm(String fusedName, String stockName, String normalized) {
    }

    /**
     * The fused graph's batch norms: each {@code P_conv_bn_act} or {@code P_conv_bn} (stock {@code P_bn} after
     * {@code P_conv}) and each {@code DirectBatchNorm} (its stock namesake, after the same input).
     */
    private static List<FusedNorm> fusedNorms(UNet fused) {
        return Arrays.stream(fused.graph().getLayers()).map(layer -> layer.conf().getLayer()).<FusedNorm>mapMulti(
                (layer, norms) -> {
                    String name = layer.getLayerName();
                    if (layer instanceof DirectBatchNorm) {
                        norms.accept(new FusedNorm(name, name, name));
                    } else if (layer instanceof ConvNormActivation block && block.isBatchNorm()) {
                        String prefix = name.substring(0, name.lastIndexOf(FUSED_BLOCK));
                        norms.accept(new FusedNorm(name, prefix + "_bn", prefix + "_conv"));
                    }
                }).toList();
    }

    /**
     * After one step from the same parameters, each fused batch norm's running mean is the stock batch norm's, and
     * its running variance took the batch's unbiased variance ({@code n / (n - 1)} times the biased one DL4J's took,
     * for the {@code n} = batch x height x width values of a channel): {@code decay * before + (1 - decay) * unbiased}.
     */
    private static void assertRunningStatisticsMovedAsPyTorchMovesThem(UNet stock, UNet fused, DataSet step,
                                                                      Map<FusedNorm, INDArray> variancesBefore) {
        Map<String, INDArray> activations = stock.graph().feedForward(step.getFeatures(), true);
        for (Map.Entry<FusedNorm, INDArray> norm : variancesBefore.entrySet()) {
            org.deeplearning4j.nn.api.Layer stockNorm = stock.graph().getLayer(norm.getKey().stockName());
            org.deeplearning4j.nn.api.Layer fusedNorm = fused.graph().getLayer(norm.getKey().fusedName());
            double decay = ((BatchNormalization) stockNorm.conf().getLayer()).getDecay();
            long[] shape = activations.get(norm.getKey().normalized()).shape();
            double n = (double) shape[0] * shape[2] * shape[3];
            INDArray kept = norm.getValue().mul(decay);
            INDArray unbiased = BatchNormParams.runningVariance(stockNorm.paramTable()).sub(kept).muli(n / (n - 1))
                    .addi(kept);
            assertThat(fusedNorm.getParam(ConvNormActivation.MEAN_KEY).sub(stockNorm.getParam(
                    BatchNormalizationParamInitializer.GLOBAL_MEAN)).amaxNumber().doubleValue())
                    .as("%s running mean", norm.getKey()).isLessThan(1e-5);
            assertThat(fusedNorm.getParam(ConvNormActivation.VARIANCE_KEY).sub(unbiased).amaxNumber().doubleValue()
                    / unbiased.amaxNumber().doubleValue()).as("%s running variance, %s values", norm.getKey(), n)
                    .isLessThan(1e-4);
        }
    }

    private static DataSet batch(int n, int height, int width, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray features = Nd4j.rand(DataType.FLOAT, n, 2, height, width);
        INDArray classes = Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.indexaccum.custom.ArgMax(
                Nd4j.rand(DataType.FLOAT, n, 3, height, width), false, new int[] {1}))[0];
        INDArray labels = Nd4j.create(DataType.FLOAT, n, 3, height, width);
        for (int c = 0; c < 3; c++) {
            labels.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c))
                    .assign(classes.eq(c).castTo(DataType.FLOAT));
        }
        return new DataSet(features, labels);
    }

    @Test
    void fusedGraphHasNoStockChainsAndNoSameDiffLayers() {
        ComputationGraph graph = UNet.build(config(new UpsampleMode.PixelShuffle(true), Normalization.BATCH, 37, 29,
                true, BlockLayers.FUSED)).graph();
        var vertices = graph.getConfiguration().getVertices();
        for (var entry : vertices.entrySet()) {
            if (entry.getValue() instanceof LayerVertex vertex) {
                Layer layer = vertex.getLayerConf().getLayer();
                assertThat(layer).as(entry.getKey()).isNotInstanceOf(AbstractSameDiffLayer.class)
                        .isNotInstanceOf(ConvolutionLayer.class);
                assertThat(layer.getClass()).as("%s is DL4J's batch norm", entry.getKey())
                        .isNotEqualTo(BatchNormalization.class);
            }
        }
        assertThat(layerOf(graph, "enc1a_conv_bn_act")).isInstanceOf(ConvNormActivation.class);
        assertThat(layerOf(graph, "mid_1_conv_bn_act")).isInstanceOf(ConvNormActivation.class);
        assertThat(layerOf(graph, "dec1_2_conv_bn_act")).isInstanceOf(ConvNormActivation.class);
        ConvNormActivation subPixel = (ConvNormActivation) layerOf(graph, "dec1_up_shuffle");
        assertThat(subPixel.getIcnrUpscaleFactor()).isEqualTo(2);
        assertThat(subPixel.getPixelShuffle()).isEqualTo(2);
        assertThat(layerOf(graph, "dec1_up_blur")).isInstanceOf(DirectBlur.class);
        assertThat(layerOf(graph, "dec1_skip_bn")).isInstanceOf(DirectBatchNorm.class);
        assertThat(layerOf(graph, "mid_in_bn")).isInstanceOf(DirectBatchNorm.class);
        assertThat(vertices.keySet()).as("the 1x1 convolution is inside dec1_up_shuffle (as the README says)")
                .filteredOn(name -> name.startsWith("dec1_up")).containsExactlyInAnyOrder("dec1_up_shuffle",
                        "dec1_up_blur");
        ConvNormActivation head = (ConvNormActivation) layerOf(graph, VertexNames.HEAD);
        assertThat(head.getKernelSize()).containsExactly(1, 1);
        assertThat(head.isBatchNorm()).isFalse();
        assertThat(head.isHasBias()).isTrue();
        assertThat(head.getActivationFn()).isInstanceOf(ActivationIdentity.class);
        assertThat(head.getWeightInitFn()).isInstanceOf(WeightInitXavier.class);
        assertThat(layerOf(graph, "dec2_resize")).isInstanceOf(DirectBilinearResize.class);
        assertThat(layerOf(graph, "dec1_skip_bn")).isInstanceOf(BatchNormalization.class);
    }

    private static Layer layerOf(ComputationGraph graph, String vertex) {
        return ((LayerVertex) graph.getConfiguration().getVertices().get(vertex)).getLayerConf().getLayer();
    }

    @Test
    void fusedUNetSavesAndLoads(@TempDir Path directory) throws Exception {
        UNet unet = UNet.build(config(new UpsampleMode.PixelShuffle(true), Normalization.BATCH, 37, 29, true,
                BlockLayers.FUSED));
        unet.graph().fit(batch(2, 37, 29, 1));
        Path file = directory.resolve("fused.zip");
        unet.save(file);
        UNet loaded = UNet.load(file);
        assertThat(loaded.config()).isEqualTo(unet.config());
        assertThat(loaded.config().layers()).isEqualTo(BlockLayers.FUSED);
        INDArray input = batch(1, 37, 29, 2).getFeatures();
        assertThat(loaded.predict(input)).isEqualTo(unet.predict(input));
        assertThat(loaded.graph().params()).isEqualTo(unet.graph().params());
    }
}
