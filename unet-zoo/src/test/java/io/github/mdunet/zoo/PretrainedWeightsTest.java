package io.github.mdunet.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ImageShape;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.zoo.graph.EncoderVertices;
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
        // a small decoder: this test is about the encoder
        List<Integer> widths = List.of(32, 16, 16, 8, 8).subList(0, layout.skips().size());
        return UNetConfig.builder().encoder(new ZooEncoder(layout, weights))
                .input(new ImageShape(3, 64, 96)).numClasses(2).decoderChannels(widths)
                .midChannelScale(0.0625).build();
    }

    private Path writeStandIn() throws IOException {
        ComputationGraph zoo = ResNet50.builder().numClasses(10).build().init();
        for (Layer layer : zoo.getLayers()) {
            if (layer.paramTable().containsKey("mean")) {
                // running statistics that a fresh U-Net would not have
                layer.getParam("mean").assign(Nd4j.rand(layer.getParam("mean").shape()));
                layer.getParam("log10stdev").assign(Nd4j.rand(layer.getParam("log10stdev").shape()).subi(0.5));
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
        Set<String> encoder = EncoderVertices.of(unet.config().encoder(), unet.config().input());
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
}
