package io.github.mdunet.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.graph.UNetGraphFactory;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.zoo.pretrained.PretrainedWeights;
import io.github.mdunet.zoo.pretrained.Weights;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.model.ResNet50;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Pretrained weights with a locally saved zoo model standing in for the download: ResNet50 built with random
 * weights (and random batch-norm statistics) and written with {@code ModelSerializer} under the zoo's file name in a
 * temporary DL4J resources directory.
 */
class PretrainedWeightsTest {

    private static final String ZOO_FILE = "resnet50_dl4j_inference.v3.zip";

    @TempDir
    Path resources;

    @BeforeEach
    void useTemporaryResourcesDirectory() {
        DL4JResources.setBaseDirectory(resources.toFile());
    }

    @AfterEach
    void restoreResourcesDirectory() {
        DL4JResources.resetBaseDirectoryLocation();
    }

    private static UNetConfig config(Weights weights) {
        return config(ZooBackbone.RESNET50, weights);
    }

    private static UNetConfig config(ZooBackbone layout, Weights weights) {
        return config(layout, weights, BlockLayers.STOCK);
    }

    private static UNetConfig config(ZooBackbone layout, Weights weights, BlockLayers layers) {
        // a small decoder: this test is about the encoder
        List<Integer> widths = List.of(32, 16, 16, 8, 8).subList(0, layout.skips().size());
        return UNetConfig.builder().encoder(new ZooEncoder(layout, weights))
                .input(new ImageShape(3, 64, 96)).numClasses(2).decoderChannels(widths)
                .midChannelScale(0.0625).layers(layers).build();
    }

    private Path writeStandIn() throws IOException {
        ComputationGraph zoo = ResNet50.builder().numClasses(10).build().init();
        Nd4j.getRandom().setSeed(17);
        for (Layer layer : zoo.getLayers()) {
            if (layer.paramTable().containsKey("mean")) {
                // running statistics, gamma and beta that a fresh U-Net would not have, near what the He-scaled
                // weights below give (so that the deepest maps stay finite in inference mode)
                layer.getParam("mean").assign(Nd4j.rand(layer.getParam("mean").shape()).muli(0.2).subi(0.1));
                layer.getParam("log10stdev").assign(Nd4j.rand(layer.getParam("log10stdev").shape()).muli(0.2));
                layer.getParam("gamma").assign(Nd4j.rand(layer.getParam("gamma").shape()).muli(0.5).addi(0.5));
                layer.getParam("beta").assign(Nd4j.rand(layer.getParam("beta").shape()).muli(0.2).subi(0.1));
            } else if (layer.paramTable().containsKey("b") && layer.getParam("W").rank() == 4) {
                INDArray weights = layer.getParam("W");
                double fanIn = weights.size(1) * weights.size(2) * weights.size(3);
                weights.assign(Nd4j.randn(weights.dataType(), weights.shape()).muli(Math.sqrt(2 / fanIn)));
                // convolution biases, which the fused blocks fold into the running mean
                layer.getParam("b").assign(Nd4j.rand(layer.getParam("b").shape()).muli(0.2).subi(0.1));
            }
        }
        Path directory = PretrainedWeights.cacheDirectory(ZooBackbone.RESNET50);
        Files.createDirectories(directory);
        Path file = directory.resolve(ZOO_FILE);
        ModelSerializer.writeModel(zoo, file.toFile(), false);
        return file;
    }

    @Test
    void theCacheDirectoryIsTheZoosOwn() {
        assertThat(PretrainedWeights.cacheDirectory(ZooBackbone.RESNET50))
                .isEqualTo(resources.resolve("models").resolve("resnet50"));
    }

    @Test
    void withoutTheFileTheErrorNamesFileDirectoryAndDownload() {
        assertThatThrownBy(() -> PretrainedWeights.build(config(Weights.imagenet())))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageNotContaining("UnknownHost")
                .hasMessageContaining("ResNet50 IMAGENET weights not found")
                .hasMessageContaining(ZOO_FILE)
                .hasMessageContaining(resources.resolve("models").resolve("resnet50").toString())
                .hasMessageContaining("https://")
                .hasMessageContaining("Weights.file(path)");
    }

    @Test
    void aFileThatFailsTheZoosChecksumIsRefusedAndKept() throws IOException {
        Path directory = PretrainedWeights.cacheDirectory(ZooBackbone.RESNET50);
        Files.createDirectories(directory);
        Path file = Files.write(directory.resolve(ZOO_FILE), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> PretrainedWeights.read(ZooBackbone.RESNET50, Weights.imagenet()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("fails the zoo's checksum")
                .hasMessageContaining("expected 3914447815")
                .hasMessageContaining("Weights.ownFile(path)");
        assertThat(file).exists();
        // the same check passes with the file's own checksum
        PretrainedWeights.verifyChecksum(file, PretrainedWeights.checksum(file), "test");
    }

    /** Strides carry no weights: the same file loads into the reference layout and into DL4J's. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ZooBackbone.class, names = {"RESNET50", "RESNET50_DL4J"})
    void weightsAreBitIdenticalInsideTheUNetBatchNormStatisticsIncluded(ZooBackbone layout) throws IOException {
        Path file = writeStandIn();
        // the stand-in is not the zoo's file: the checksum refuses it for Weights.file, Weights.ownFile opts out
        assertThatThrownBy(() -> PretrainedWeights.build(config(layout, Weights.file(file.toString()))))
                .hasMessageContaining("fails the zoo's checksum");
        UNet unet = PretrainedWeights.build(config(layout, Weights.ownFile(file.toString())));

        ComputationGraph zoo = ModelSerializer.restoreComputationGraph(file.toFile(), false);
        Set<String> encoder = UNetGraphFactory.create(unet.config()).encoderVertices();
        int layersCompared = 0;
        for (String name : encoder) {
            Layer inUNet = unet.graph().getLayer(name);
            if (inUNet == null || inUNet.numParams() == 0) {
                continue;
            }
            for (Map.Entry<String, INDArray> param : inUNet.paramTable().entrySet()) {
                float[] expected = zoo.getLayer(name).getParam(param.getKey()).dup('c').data().asFloat();
                float[] actual = param.getValue().dup('c').data().asFloat();
                assertThat(java.util.Arrays.mismatch(actual, expected)).as(name + "." + param.getKey()
                        + " first differing element (-1: bit-identical)").isEqualTo(-1);
            }
            layersCompared++;
        }
        assertThat(layersCompared).isEqualTo(53 + 53); // 53 convolutions and 53 batch norms
        assertThat(unet.config().encoder().inputNormalization())
                .isEqualTo(io.github.mdunet.core.encoder.InputNormalization.CAFFE_BGR);

        // the imagenet path finds the same file in the cache and stops at the checksum, not at a download
        assertThatThrownBy(() -> PretrainedWeights.build(config(layout, Weights.imagenet())))
                .hasMessageContaining("fails the zoo's checksum").hasMessageContaining(file.toString());
    }

    /**
     * The fused encoder with the same file computes what the stock encoder computes (bottleneck and every skip, in
     * inference and in training mode), its weights bit for bit the zoo's, the conv biases folded into the running
     * means.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ZooBackbone.class, names = {"RESNET50", "RESNET50_DL4J"})
    void fusedEncoderWithPretrainedWeightsComputesWhatTheStockEncoderComputes(ZooBackbone layout) throws IOException {
        Path file = writeStandIn();
        UNet stock = PretrainedWeights.build(config(layout, Weights.ownFile(file.toString()), BlockLayers.STOCK));
        UNet fused = PretrainedWeights.build(config(layout, Weights.ownFile(file.toString()), BlockLayers.FUSED));
        assertThat(fused.graph().getConfiguration().getVertices().get("res2a_branch2a")).isNull();
        List<io.github.mdunet.core.layers.direct.ConvNormActivation> blocks = fused.graph().getConfiguration()
                .getVertices().values().stream()
                .filter(v -> v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex)
                .map(v -> ((org.deeplearning4j.nn.conf.graph.LayerVertex) v).getLayerConf().getLayer())
                .filter(l -> l instanceof io.github.mdunet.core.layers.direct.ConvNormActivation)
                .map(l -> (io.github.mdunet.core.layers.direct.ConvNormActivation) l)
                .filter(l -> !l.getLayerName().startsWith("mid_") && !l.getLayerName().startsWith("dec")
                        && !l.getLayerName().startsWith("final_"))
                .toList();
        // every convolution of the encoder, 33 with their ReLU (stem, 2a and 2b of 16 blocks), 20 without (2c, 1)
        assertThat(blocks).hasSize(53);
        assertThat(blocks.stream().filter(b -> b.getActivationFn() instanceof
                org.nd4j.linalg.activations.impl.ActivationReLU)).hasSize(33);
        assertThat(((org.deeplearning4j.nn.conf.graph.LayerVertex) fused.graph().getConfiguration().getVertices()
                .get("act2a_branch2a")).getLayerConf().getLayer())
                .isInstanceOf(io.github.mdunet.core.layers.direct.ConvNormActivation.class);

        ComputationGraph zoo = ModelSerializer.restoreComputationGraph(file.toFile(), false);
        INDArray weights = fused.graph().getLayer("act2a_branch2a").getParam("W");
        float[] expected = zoo.getLayer("res2a_branch2a").getParam("W").dup('c').data().asFloat();
        assertThat(java.util.Arrays.mismatch(weights.dup('c').data().asFloat(), expected)).isEqualTo(-1);
        INDArray foldedMean = zoo.getLayer("bn2a_branch2a").getParam("mean")
                .sub(zoo.getLayer("res2a_branch2a").getParam("b").reshape(-1));
        assertThat(fused.graph().getLayer("act2a_branch2a").getParam("mean").sub(foldedMean).amaxNumber()
                .doubleValue()).isLessThan(1e-6);

        Nd4j.getRandom().setSeed(5);
        INDArray image = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, 64, 96).muli(2).subi(1);
        List<String> taps = new java.util.ArrayList<>();
        layout.skips().forEach(tap -> taps.add(tap.vertexName()));
        taps.add(layout.bottleneck().vertexName());
        for (boolean training : new boolean[] {false, true}) {
            Map<String, INDArray> expectedActivations = stock.graph().feedForward(image, training);
            Map<String, INDArray> actualActivations = fused.graph().feedForward(image, training);
            for (String tap : taps) {
                INDArray want = expectedActivations.get(tap);
                assertThat(want.isInfinite().any() || want.isNaN().any()).as("%s finite", tap).isFalse();
                double scale = Math.max(1.0, want.amaxNumber().doubleValue());
                // In training, batch norm divides by the batch's own spread; where a channel has only a few values
                // (the deepest maps: 2 images x 1 x 2 pixels in DL4J's layout) that amplifies float rounding, such as
                // the folded bias's
                long valuesPerChannel = want.size(0) * want.size(2) * want.size(3);
                double tolerance = training && valuesPerChannel < 32 ? 2e-2 : 1e-4;
                assertThat(actualActivations.get(tap).sub(want).amaxNumber().doubleValue() / scale)
                        .as("%s, training=%s", tap, training).isLessThan(tolerance);
            }
        }
    }
}
