package io.github.mdunet.examples.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.blocks.VertexNames;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.model.UNet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.databind.JsonNode;
import picocli.CommandLine;

/** The network description, the tensor files and the fixed batches that the PyTorch reference reads. */
class ReferenceExportTest {

    private static UNetConfig tiny(long seed) {
        return tiny(BlockLayers.STOCK, seed);
    }

    private static UNetConfig tiny(BlockLayers layers, long seed) {
        return ExportReference.recipeConfig(new ImageShape(3, 32, 48), 3, 2, 4, 1e-3, layers, seed);
    }

    /** The vertex types in order, each vertex checked to come after its inputs. */
    private static List<String> typesAfterInputs(JsonNode network) {
        Set<String> defined = new HashSet<>(List.of(network.path("input").path("name").asText()));
        List<String> types = new ArrayList<>();
        for (JsonNode vertex : network.path("vertices")) {
            for (JsonNode input : vertex.path("inputs")) {
                assertThat(defined).as("input of %s", vertex.path("name")).contains(input.asText());
            }
            defined.add(vertex.path("name").asText());
            types.add(vertex.path("type").asText());
        }
        assertThat(defined).contains(network.path("output").asText());
        return types;
    }

    @Test
    void describesEveryVertexAfterItsInputsWithTheAttributesOfTheOperation() {
        UNet unet = UNet.build(tiny(1));
        JsonNode network = ReferenceNetwork.describe(unet);
        assertThat(new HashSet<>(typesAfterInputs(network))).containsExactlyInAnyOrder("conv2d", "batchnorm",
                "activation", "maxpool", "concat", "pixelshuffle_conv", "softmax_cross_entropy");
        JsonNode firstConv = network.path("vertices").get(0);
        assertThat(firstConv.path("type").asText()).isEqualTo("conv2d");
        assertThat(firstConv.path("inChannels").asInt()).isEqualTo(3);
        assertThat(firstConv.path("bias").asBoolean()).isFalse();
        assertThat(firstConv.path("init").asText()).isEqualTo("he_normal");
        JsonNode bn = network.path("vertices").get(1);
        assertThat(bn.path("momentum").asDouble()).isEqualTo(0.1);
        assertThat(network.path("classes").asInt()).isEqualTo(3);
        assertThat(network.path("inputNormalization").path("scale").asDouble()).isEqualTo(1.0 / 255);
    }

    @Test
    void describesTheFusedBlocksOneVertexEachUnderTheNamesOfTheirParameters() {
        UNet unet = UNet.build(tiny(BlockLayers.FUSED, 1));
        JsonNode network = ReferenceNetwork.describe(unet);
        assertThat(new HashSet<>(typesAfterInputs(network))).containsExactlyInAnyOrder("conv_bn_act", "batchnorm",
                "activation", "maxpool", "concat", "pixelshuffle_conv", "conv2d", "softmax_cross_entropy");
        JsonNode first = network.path("vertices").get(0);
        assertThat(first.path("name").asText()).isEqualTo("enc1a_conv_bn_act");
        assertThat(first.path("type").asText()).isEqualTo("conv_bn_act");
        assertThat(first.path("inChannels").asInt()).isEqualTo(3);
        assertThat(first.path("outChannels").asInt()).isEqualTo(4);
        assertThat(first.path("kernel").asInt()).isEqualTo(3);
        assertThat(first.path("bias").asBoolean()).isFalse();
        assertThat(first.path("init").asText()).isEqualTo("he_normal");
        assertThat(first.path("momentum").asDouble()).isEqualTo(0.1);
        assertThat(first.path("eps").asDouble()).isEqualTo(1e-5);
        assertThat(first.path("activation").asText()).isEqualTo("relu");
        JsonNode shuffle = vertex(network, "dec1_up_shuffle");
        assertThat(shuffle.path("type").asText()).isEqualTo("pixelshuffle_conv");
        assertThat(shuffle.path("factor").asInt()).isEqualTo(2);
        assertThat(shuffle.path("init").asText()).isEqualTo("icnr_he_normal");
        assertThat(shuffle.path("outChannels").asInt() * 4L)
                .isEqualTo(unet.graph().getLayer("dec1_up_shuffle").getParam("b").length());
        JsonNode head = vertex(network, VertexNames.HEAD);
        assertThat(head.path("type").asText()).as("the fused head, a 1x1 block without norm or activation")
                .isEqualTo("conv2d");
        assertThat(head.path("kernel").asInt()).isEqualTo(1);
        assertThat(head.path("outChannels").asInt()).isEqualTo(3);
        assertThat(head.path("bias").asBoolean()).isTrue();
        assertThat(head.path("init").asText()).isEqualTo("xavier_normal");
        for (JsonNode vertex : network.path("vertices")) {
            if (vertex.path("type").asText().equals("concat")) {
                assertThat(vertex.path("activation").asText()).as("%s", vertex.path("name")).isEqualTo("relu");
            }
        }
        assertThat(ReferenceTensors.parameters(unet.graph())).containsKeys("enc1a_conv_bn_act.W",
                "enc1a_conv_bn_act.gamma", "enc1a_conv_bn_act.beta", "enc1a_conv_bn_act.mean",
                "enc1a_conv_bn_act.var", "dec1_up_shuffle.W", "dec1_up_shuffle.b").doesNotContainKey(
                "enc1a_conv_bn_act.b");
    }

    @Test
    void aBlurredFusedShuffleGetsABlurVertexAndAnUnnormalisedFusedBlockIsRefused() {
        UNetConfig blurred = tiny(BlockLayers.FUSED, 1).toBuilder().upsample(new UpsampleMode.PixelShuffle(true))
                .build();
        JsonNode network = ReferenceNetwork.describe(UNet.build(blurred));
        JsonNode blur = vertex(network, "dec1_up_blur");
        assertThat(blur.path("type").asText()).isEqualTo("blur");
        assertThat(blur.path("inputs").get(0).asText()).isEqualTo("dec1_up_shuffle");

        UNet plain = UNet.build(tiny(BlockLayers.FUSED, 1).toBuilder()
                .encoder(new ClassicEncoder(2, 4, Normalization.NONE)).normalization(Normalization.NONE).build());
        assertThatThrownBy(() -> ReferenceNetwork.describe(plain))
                .hasMessageContaining("vertex 'enc1a_conv_act'")
                .hasMessageContaining("batch norm false");
    }

    /**
     * Bilinear upsampling is described as a resize to the size of the layer's output, on DL4J's matrix layer (stock)
     * and on the direct one (fused) alike.
     */
    @ParameterizedTest
    @EnumSource(BlockLayers.class)
    void bilinearUpsamplingIsDescribedAsAResizeToEachStagesSize(BlockLayers layers) {
        UNet unet = UNet.build(tiny(layers, 1).toBuilder().upsample(new UpsampleMode.Bilinear()).build());
        JsonNode network = ReferenceNetwork.describe(unet);
        List<String> sizes = new ArrayList<>();
        for (JsonNode vertex : network.path("vertices")) {
            if (vertex.path("type").asText().equals("resize_bilinear")) {
                sizes.add(vertex.path("height").asInt() + "x" + vertex.path("width").asInt());
            }
        }
        assertThat(typesAfterInputs(network)).doesNotContain("pixelshuffle_conv");
        assertThat(sizes).containsExactly("16x24", "32x48");
    }

    private static JsonNode vertex(JsonNode network, String name) {
        for (JsonNode vertex : network.path("vertices")) {
            if (vertex.path("name").asText().equals(name)) {
                return vertex;
            }
        }
        throw new AssertionError("no vertex " + name);
    }

    @Test
    void theLayersOptionPicksTheBlocksOfTheRecipeFusedByDefault() {
        ExportReference fusedByDefault = new ExportReference();
        new CommandLine(fusedByDefault).parseArgs("--out", "unused");
        ExportReference stock = new ExportReference();
        new CommandLine(stock).parseArgs("--out", "unused", "--layers", "STOCK");
        ImageShape input = new ImageShape(3, 32, 32);

        assertThat(fusedByDefault.recipe.config(input, 1).layers()).isEqualTo(BlockLayers.FUSED);
        assertThat(stock.recipe.config(input, 1).layers()).isEqualTo(BlockLayers.STOCK);
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

    /**
     * The written variance is the one DL4J's layer normalises with, and reads back as it: PyTorch's inference formula
     * {@code gamma * (x - mean) / sqrt(var + eps) + beta} on the written tensors gives the layer's inference output,
     * of the exported layer and of one that took the tensors (variances down to 1e-3, where an eps of 1e-5 misplaced
     * is a 1% error).
     */
    @Test
    void batchNormVarianceIsWrittenAndReadAsTheVarianceNotDl4jsLogStandardDeviation() {
        UNet unet = UNet.build(tiny(1));
        var layer = unet.graph().getLayer("enc1a_bn");
        double eps = ((BatchNormalization) layer.conf().getLayer()).getEps();
        layer.getParam("log10stdev").assign(Nd4j.createFromArray(-1.5f, -1f, 0.1f, 0.3f).reshape(1, 4));
        layer.getParam("mean").assign(Nd4j.createFromArray(0.1f, -0.2f, 0.3f, 0f).reshape(1, 4));
        layer.getParam("gamma").assign(Nd4j.createFromArray(1.5f, 0.5f, 1f, 2f).reshape(1, 4));
        Map<String, INDArray> tensors = ReferenceTensors.parameters(unet.graph());
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 4, 3, 3);
        INDArray expected = x.sub(tensors.get("enc1a_bn.mean").reshape(1, 4, 1, 1))
                .divi(Transforms.sqrt(tensors.get("enc1a_bn.var").add(eps)).reshape(1, 4, 1, 1))
                .muli(tensors.get("enc1a_bn.gamma").reshape(1, 4, 1, 1))
                .addi(tensors.get("enc1a_bn.beta").reshape(1, 4, 1, 1));
        UNet other = UNet.build(tiny(2));
        ReferenceTensors.setParameters(other.graph(), tensors);
        for (var normalizing : List.of(layer, other.graph().getLayer("enc1a_bn"))) {
            normalizing.setInput(x, LayerWorkspaceMgr.noWorkspaces());
            INDArray output = normalizing.activate(false, LayerWorkspaceMgr.noWorkspaces());
            assertThat(output.sub(expected).amaxNumber().doubleValue() / expected.amaxNumber().doubleValue())
                    .isLessThan(1e-5);
        }
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
