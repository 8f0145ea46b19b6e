package io.github.mdunet.reference.torch.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkSpecTest {

    static String tinyNetworkJson() throws IOException {
        try (InputStream in = NetworkSpecTest.class.getResourceAsStream("/tiny-network.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsTheTinyNetworkAndInfersShapes() throws IOException {
        NetworkSpec spec = NetworkJson.parse(tinyNetworkJson());

        assertThat(spec.vertexNames()).containsExactly("enc_conv", "enc_bn", "enc_act", "enc_pool", "dec_up_shuffle",
                "dec_concat", "head_conv", "output");
        assertThat(spec.shapes().get("enc_pool")).isEqualTo(new ImageShape(8, 8, 8));
        assertThat(spec.shapes().get("dec_up_shuffle")).isEqualTo(new ImageShape(8, 16, 16));
        assertThat(spec.shapes().get("dec_concat")).isEqualTo(new ImageShape(16, 16, 16));
        assertThat(spec.shapes().get("output")).isEqualTo(new ImageShape(3, 16, 16));
        assertThat(spec.parameters()).extracting(ParameterSpec::key).containsExactly("enc_conv.W", "enc_bn.gamma",
                "enc_bn.beta", "enc_bn.mean", "enc_bn.var", "dec_up_shuffle.W", "dec_up_shuffle.b", "head_conv.W",
                "head_conv.b");
        assertThat(spec.parameters().get(5).shape()).containsExactly(32, 8, 1, 1);
        assertThat(spec.inputNormalization().apply(2, 255)).isEqualTo(1.0f);
    }

    @Test
    void readsTheFusedVerticesWithTheirParametersUnderOneName() throws IOException {
        String json;
        try (InputStream in = NetworkSpecTest.class.getResourceAsStream("/tiny-fused-network.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        NetworkSpec spec = NetworkJson.parse(json);

        ConvBnActVertex encoder = (ConvBnActVertex) spec.vertex("enc");
        assertThat(encoder.norm()).isEqualTo(new BatchNormVertex("enc", "enc", 8, 1e-5, 0.1));
        assertThat(encoder.activation()).isEqualTo(Activation.RELU);
        assertThat(spec.shapes().get("enc")).isEqualTo(new ImageShape(8, 16, 16));
        assertThat(spec.parameters()).extracting(ParameterSpec::key).startsWith("enc.W", "enc.gamma", "enc.beta",
                "enc.mean", "enc.var", "dec_up_shuffle.W");
        assertThat(((ConcatVertex) spec.vertex("dec_concat")).activation()).isEqualTo(Activation.IDENTITY);
        assertThat(((ConcatVertex) NetworkJson.parse(tinyNetworkJson()).vertex("dec_concat")).activation())
                .as("a concat without an activation field").isEqualTo(Activation.IDENTITY);
        assertThatThrownBy(() -> NetworkJson.parse(json.replace("\"eps\": 1e-5,",
                        "\"eps\": 1e-5, \"channels\": 8,")))
                .hasMessageContaining("vertex 'enc' (conv_bn_act): unknown field(s) [channels]");
        assertThatThrownBy(() -> NetworkJson.parse(json.replace("\"inChannels\": 3,", "\"inChannels\": 4,")))
                .hasMessageContaining("vertex 'enc' (conv_bn_act): inChannels is 4 but its input 'input' has 3");
        assertThatThrownBy(() -> new ConvBnActVertex(encoder.conv(), new BatchNormVertex("enc", "enc", 4, 1e-5, 0.1),
                Activation.RELU)).hasMessage("vertex 'enc' (conv_bn_act): outChannels is 8 but the batch norm has 4"
                + " channels");
    }

    @Test
    void anInputThatIsNotDefinedEarlierListsTheNamesThatAre() throws IOException {
        String json = tinyNetworkJson().replace("\"inputs\": [\"enc_bn\"]", "\"inputs\": [\"enc_bm\"]");

        assertThatThrownBy(() -> NetworkJson.parse(json))
                .hasMessageContaining("vertex 'enc_act' (activation): input 'enc_bm'")
                .hasMessageContaining("[input, enc_conv, enc_bn]");
    }

    @Test
    void aChannelMismatchNamesTheVertexAndItsInput() throws IOException {
        String json = tinyNetworkJson().replace("\"inChannels\": 16", "\"inChannels\": 12");

        assertThatThrownBy(() -> NetworkJson.parse(json))
                .hasMessageContaining("vertex 'head_conv' (conv2d): inChannels is 12"
                        + " but its input 'dec_concat' has 16");
    }

    @Test
    void unknownTypesAndFieldsAreRefused() throws IOException {
        assertThatThrownBy(() -> NetworkJson.parse(tinyNetworkJson().replace("\"maxpool\"", "\"avgpool\"")))
                .hasMessageContaining("unknown type 'avgpool'").hasMessageContaining("maxpool");
        assertThatThrownBy(() -> NetworkJson.parse(
                        tinyNetworkJson().replace("\"kernel\": 2,", "\"kernel\": 2, \"dilation\": 2,")))
                .hasMessageContaining("vertex 'enc_pool' (maxpool): unknown field(s) [dilation]");
        assertThatThrownBy(() -> NetworkJson.parse(
                        tinyNetworkJson().replace("\"function\": \"relu\"", "\"function\": \"gelu\"")))
                .hasMessageContaining("'gelu' is not one of relu, identity, sigmoid, tanh");
    }

    @Test
    void anUnknownEnumValueNamesItsField() throws IOException {
        assertThatThrownBy(() -> NetworkJson.parse(tinyNetworkJson().replaceFirst("\"same\"", "\"full\"")))
                .hasMessageContaining("vertex 'enc_conv' (conv2d).padding: 'full' is not one of same, valid");
        assertThatThrownBy(() -> NetworkJson.parse(tinyNetworkJson().replace("\"icnr_he_normal\"", "\"icnr\"")))
                .hasMessageContaining("vertex 'dec_up_shuffle' (pixelshuffle_conv).init: 'icnr' is not one of"
                        + " he_normal, xavier_normal, icnr_he_normal");
        assertThatThrownBy(() -> NetworkJson.parse(tinyNetworkJson().replace("\"RGB\"", "\"rgb\"")))
                .hasMessageContaining("network.json.inputNormalization.channelOrder: 'rgb' is not one of RGB, BGR");
    }

    @Test
    void convolutionAndWindowFieldsMustBePositive() {
        assertThatThrownBy(() -> new Conv2dVertex("c", "input", 3, 0, 3, 1, Padding.SAME, true, InitScheme.HE_NORMAL))
                .hasMessage("vertex 'c' (conv2d): outChannels must be >= 1 but was 0");
        assertThatThrownBy(() -> new Conv2dVertex("c", "input", 3, 8, 3, 0, Padding.SAME, true, InitScheme.HE_NORMAL))
                .hasMessage("vertex 'c' (conv2d): stride must be >= 1 but was 0");
        assertThatThrownBy(() -> new PixelShuffleConvVertex("p", "input", 0, 8, 2, 1, false, Activation.RELU,
                InitScheme.ICNR_HE_NORMAL))
                .hasMessage("vertex 'p' (pixelshuffle_conv): inChannels must be >= 1 but was 0");
        assertThatThrownBy(() -> new MaxPoolVertex("m", "input", 0, 2))
                .hasMessage("vertex 'm' (maxpool): kernel must be >= 1 but was 0");
    }

    @Test
    void aWindowLargerThanItsInputIsRefused() {
        ImageShape input = new ImageShape(3, 4, 6);
        Conv2dVertex valid = new Conv2dVertex("c", "input", 3, 8, 5, 1, Padding.VALID, true, InitScheme.HE_NORMAL);
        Conv2dVertex same = new Conv2dVertex("c", "input", 3, 8, 5, 2, Padding.SAME, true, InitScheme.HE_NORMAL);
        MaxPoolVertex pool = new MaxPoolVertex("m", "input", 3, 2);

        assertThatThrownBy(() -> valid.outputShape(List.of(input)))
                .hasMessage("vertex 'c' (conv2d): input [3, 4, 6] is smaller than the kernel 5");
        assertThat(same.outputShape(List.of(input))).isEqualTo(new ImageShape(8, 2, 3));
        assertThat(pool.outputShape(List.of(input))).isEqualTo(new ImageShape(3, 1, 2));
        assertThatThrownBy(() -> new MaxPoolVertex("m", "input", 5, 1).outputShape(List.of(input)))
                .hasMessage("vertex 'm' (maxpool): input [3, 4, 6] is smaller than the kernel 5");
    }

    @Test
    void theOutputMustBeTheLossOverAllClasses() throws IOException {
        assertThatThrownBy(() -> NetworkJson.parse(tinyNetworkJson().replace("\"output\": \"output\"",
                "\"output\": \"head_conv\"")))
                .hasMessageContaining("a loss vertex must be the output");
        assertThatThrownBy(() -> NetworkJson.parse(tinyNetworkJson().replace("\"classes\": 3", "\"classes\": 4")))
                .hasMessageContaining("'head_conv' has 3 channels but classes is 4");
    }

    @Test
    void recipeAndOneCycleFactors() throws IOException {
        Recipe recipe = RecipeJson.parse("{\"learningRate\":1e-3, \"adam\":{\"beta1\":0.9,\"beta2\":0.999,"
                + "\"epsilon\":1e-8}, \"weightDecay\":0, \"schedule\":{\"type\":\"oneCycle\",\"warmupFraction\":0.25,"
                + "\"startDivisor\":25,\"endDivisor\":1e5}, \"batchSize\":8, \"epochs\":15}");
        LrSchedule.OneCycle oneCycle = (LrSchedule.OneCycle) recipe.schedule();

        assertThat(oneCycle.factorAtProgress(0)).isCloseTo(1 / 25.0, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(oneCycle.factorAtProgress(0.25)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(oneCycle.factorAtProgress(1)).isCloseTo(1e-5, org.assertj.core.data.Offset.offset(1e-15));
        // Steps: 0 -> p = 0, 3 of 13 -> p = 0.25, 12 of 13 -> p = 1.
        assertThat(recipe.learningRateAt(0, 13)).isCloseTo(1e-3 / 25, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(recipe.learningRateAt(3, 13)).isCloseTo(1e-3, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(recipe.learningRateAt(12, 13)).isCloseTo(1e-8, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(recipe.totalSteps()).isEmpty();
        assertThat(RecipeJson.parse(RecipeJson.toJson(recipe).toString())).isEqualTo(recipe);
    }

    @Test
    void recipeErrorsNameTheField() {
        assertThatThrownBy(() -> RecipeJson.parse("{\"learningRate\":1e-3, \"adam\":{\"beta1\":0.9,\"beta2\":0.999,"
                + "\"epsilon\":1e-8}, \"weightDecay\":0, \"schedule\":{\"type\":\"step\"}, \"batchSize\":8,"
                + " \"epochs\":15}"))
                .hasMessageContaining("recipe.json.schedule.type: 'step' is not one of [oneCycle, constant]");
        assertThatThrownBy(() -> RecipeJson.parse("{\"learningRate\":1e-3, \"adam\":{\"beta1\":0.9,\"beta2\":0.999,"
                + "\"epsilon\":1e-8}, \"weightDecay\":0, \"schedule\":{\"type\":\"constant\"}, \"epochs\":15}"))
                .hasMessageContaining("recipe.json: field 'batchSize' is missing");
    }
}
