package io.github.mdunet.examples.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.model.UNet;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.databind.JsonNode;

/** The network description, the tensor files and the fixed batches that the PyTorch reference reads. */
class ReferenceExportTest {

    private static UNetConfig tiny(long seed) {
        return ExportReference.recipeConfig(new ImageShape(3, 32, 48), 3, 2, 4, 1e-3, seed);
    }

    @Test
    void describesEveryVertexAfterItsInputsWithTheAttributesOfTheOperation() {
        UNet unet = UNet.build(tiny(1));
        JsonNode network = ReferenceNetwork.describe(unet);
        Set<String> defined = new HashSet<>(List.of(network.path("input").path("name").asText()));
        Set<String> types = new HashSet<>();
        for (JsonNode vertex : network.path("vertices")) {
            for (JsonNode input : vertex.path("inputs")) {
                assertThat(defined).as("input of %s", vertex.path("name")).contains(input.asText());
            }
            defined.add(vertex.path("name").asText());
            types.add(vertex.path("type").asText());
        }
        assertThat(types).containsExactlyInAnyOrder("conv2d", "batchnorm", "activation", "maxpool", "concat",
                "pixelshuffle_conv", "softmax_cross_entropy");
        assertThat(defined).contains(network.path("output").asText());
        JsonNode firstConv = network.path("vertices").get(0);
        assertThat(firstConv.path("type").asText()).isEqualTo("conv2d");
        assertThat(firstConv.path("inChannels").asInt()).isEqualTo(3);
        assertThat(firstConv.path("bias").asBoolean()).isFalse();
        assertThat(firstConv.path("init").asText()).isEqualTo("he_normal");
        JsonNode bn = network.path("vertices").get(1);
        assertThat(bn.path("momentum").asDouble()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(network.path("classes").asInt()).isEqualTo(3);
        assertThat(network.path("inputNormalization").path("scale").asDouble()).isEqualTo(1.0 / 255);
    }

    @Test
    void refusesAUNetWhoseConvolutionsCarryTheirActivationNamingTheVertex() {
        UNet plain = UNet.build(tiny(1).toBuilder()
                .encoder(new ClassicEncoder(2, 4, Normalization.NONE)).normalization(Normalization.NONE).build());
        assertThatThrownBy(() -> ReferenceNetwork.describe(plain))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vertex 'enc1a_conv'")
                .hasMessageContaining("without activation");
    }

    @Test
    void parametersRoundTripThroughAnNpzFileIntoADifferentlyInitialisedUNet(@TempDir Path dir) throws Exception {
        UNet source = UNet.build(tiny(1));
        // non-default running statistics, so that the variance conversion is exercised
        ReferenceCase.batches(source, 1, 2, 5).forEach(source.graph()::fit);
        ReferenceTensors.writeNpz(dir.resolve("p.npz"), ReferenceTensors.parameters(source.graph()));
        UNet target = UNet.build(tiny(2));
        ReferenceTensors.setParameters(target.graph(), ReferenceTensors.readNpz(dir.resolve("p.npz")));
        INDArray input = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, 32, 48);
        assertThat(target.predict(input).sub(source.predict(input)).amaxNumber().doubleValue()).isLessThan(1e-5);
    }

    @Test
    void batchNormVarianceIsWrittenAsTheVarianceNotDl4jsLogStandardDeviation() {
        UNet unet = UNet.build(tiny(1));
        var layer = unet.graph().getLayer("enc1a_bn");
        double eps = ((BatchNormalization) layer.conf().getLayer()).getEps();
        INDArray variance = Nd4j.createFromArray(0.5f, 2f, 3f, 4f);
        layer.getParam("log10stdev").assign(Transforms.log(variance.add(eps), 10, true).mul(0.5).reshape(1, 4));
        Map<String, INDArray> tensors = ReferenceTensors.parameters(unet.graph());
        assertThat(tensors.get("enc1a_bn.var").sub(variance).amaxNumber().doubleValue()).isLessThan(1e-5);
        assertThat(tensors).containsKeys("enc1a_conv.W", "enc1a_bn.gamma", "enc1a_bn.beta", "enc1a_bn.mean",
                "dec1_up_shuffle.W", "dec1_up_shuffle.b", "head_conv.W", "head_conv.b");
        assertThat(tensors.get("enc1a_bn.mean").shape()).containsExactly(4);
    }

    @Test
    void aMissingTensorIsNamedWithTheVertexAndTheKeysThatAreThere() {
        UNet unet = UNet.build(tiny(1));
        Map<String, INDArray> tensors = new java.util.LinkedHashMap<>(ReferenceTensors.parameters(unet.graph()));
        tensors.remove("head_conv.b");
        assertThatThrownBy(() -> ReferenceTensors.setParameters(unet.graph(), tensors))
                .hasMessageContaining("no tensor 'head_conv.b'").hasMessageContaining("vertex 'head_conv'");
    }

    @Test
    void batchesRoundTripAsClassIdsAndComeBackOneHot(@TempDir Path dir) throws Exception {
        UNet unet = UNet.build(tiny(1));
        var batches = ReferenceCase.batches(unet, 2, 3, 7);
        ReferenceCase.writeBatches(dir, batches);
        Map<String, INDArray> files = ReferenceTensors.readNpz(CaseFile.BATCHES.in(dir));
        assertThat(files.get("step1.y").shape()).containsExactly(3, 32, 48);
        assertThat(files.get("step1.y").dataType()).isEqualTo(org.nd4j.linalg.api.buffer.DataType.INT);
        var back = ReferenceCase.readBatches(dir, 3);
        assertThat(back).hasSize(2);
        for (int k = 0; k < 2; k++) {
            assertThat(back.get(k).getFeatures()).isEqualTo(batches.get(k).getFeatures());
            assertThat(back.get(k).getLabels()).isEqualTo(batches.get(k).getLabels());
        }
    }
}
