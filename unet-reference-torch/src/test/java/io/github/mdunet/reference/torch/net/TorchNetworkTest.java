package io.github.mdunet.reference.torch.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.github.mdunet.reference.torch.npy.NpyArray;
import io.github.mdunet.reference.torch.spec.Activation;
import io.github.mdunet.reference.torch.spec.BlurVertex;
import io.github.mdunet.reference.torch.spec.ChannelOrder;
import io.github.mdunet.reference.torch.spec.ConcatVertex;
import io.github.mdunet.reference.torch.spec.Conv2dVertex;
import io.github.mdunet.reference.torch.spec.ImageShape;
import io.github.mdunet.reference.torch.spec.InitScheme;
import io.github.mdunet.reference.torch.spec.InputNormalization;
import io.github.mdunet.reference.torch.spec.InputSpec;
import io.github.mdunet.reference.torch.spec.NetworkJson;
import io.github.mdunet.reference.torch.spec.NetworkSpec;
import io.github.mdunet.reference.torch.spec.Padding;
import io.github.mdunet.reference.torch.spec.PixelShuffleConvVertex;
import io.github.mdunet.reference.torch.spec.SoftmaxCrossEntropyVertex;
import io.github.mdunet.reference.torch.spec.VertexSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TorchNetworkTest {

    @BeforeAll
    static void threads() {
        TorchRuntime.useAllCores();
        NativeConvolutions.use();
    }

    static NetworkSpec tinySpec() throws IOException {
        try (InputStream in = TorchNetworkTest.class.getResourceAsStream("/tiny-network.json")) {
            return NetworkJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static Tensor randomInput(long seed, long... shape) {
        Random random = new Random(seed);
        int count = 1;
        for (long dim : shape) {
            count *= (int) dim;
        }
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return Tensors.floats(shape, values);
    }

    /** A single-conv network, for the init statistics. */
    private static NetworkSpec singleLayer(VertexSpec layer, int inChannels) {
        VertexSpec head = new Conv2dVertex("head", layer.name(), layerChannels(layer), 2, 1, 1,
                Padding.SAME, true, InitScheme.XAVIER_NORMAL);
        return new NetworkSpec(1, new InputSpec("input", new ImageShape(inChannels, 8, 8)),
                new InputNormalization(ChannelOrder.RGB, 1.0, List.of(0.0), List.of(1.0)), 2,
                List.of(layer, head, new SoftmaxCrossEntropyVertex("loss", "head")), "loss");
    }

    private static int layerChannels(VertexSpec layer) {
        return layer instanceof Conv2dVertex conv ? conv.outChannels() : ((PixelShuffleConvVertex) layer).outChannels();
    }

    @Test
    void tinyNetworkGivesLogitsOfTheInputSize() throws IOException {
        TorchNetwork network = TorchNetwork.create(tinySpec());
        network.initialize(torch.make_generator_cpu(1));
        try (PointerScope scope = new PointerScope()) {
            Tensor logits = network.logits(randomInput(1, 2, 3, 16, 16), Mode.TRAIN);

            assertThat(Tensors.shape(logits)).containsExactly(2, 3, 16, 16);
            for (float value : Tensors.toFloats(logits)) {
                assertThat(Float.isFinite(value)).isTrue();
            }
        }
    }

    @Test
    void pixelShuffleTakesChannelCTimesRSquaredPlusIRPlusJToRowHRPlusIColumnWRPlusJ() {
        // Input [1, 8, 1, 2]: channel k holds 10 * k at w = 0 and 10 * k + 1 at w = 1; r = 2, so 2 output channels.
        float[] values = new float[16];
        for (int k = 0; k < 8; k++) {
            values[2 * k] = 10 * k;
            values[2 * k + 1] = 10 * k + 1;
        }
        try (PointerScope scope = new PointerScope()) {
            Tensor shuffled = torch.pixel_shuffle(Tensors.floats(new long[] {1, 8, 1, 2}, values), 2);

            assertThat(Tensors.shape(shuffled)).containsExactly(1, 2, 2, 4);
            float[] out = Tensors.toFloats(shuffled);
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 2; j++) {
                        for (int w = 0; w < 2; w++) {
                            float expected = 10 * (c * 4 + i * 2 + j) + w;
                            assertThat(out[(c * 2 + i) * 4 + w * 2 + j]).as("c=%d i=%d j=%d w=%d", c, i, j, w)
                                    .isEqualTo(expected);
                        }
                    }
                }
            }
        }
    }

    @Test
    void icnrMakesEveryShuffledBlockConstantRightAfterInit() throws IOException {
        TorchNetwork network = TorchNetwork.create(tinySpec());
        network.initialize(torch.make_generator_cpu(7));
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor up = network.forwardAll(randomInput(2, 2, 3, 16, 16), Mode.TRAIN).get("dec_up_shuffle");
            float[] values = Tensors.toFloats(up);
            long[] shape = Tensors.shape(up);
            assertThat(shape).containsExactly(2, 8, 16, 16);
            double spread = 0;
            int nonZeroBlocks = 0;
            for (int plane = 0; plane < 2 * 8; plane++) {
                for (int y = 0; y < 16; y += 2) {
                    for (int x = 0; x < 16; x += 2) {
                        int base = plane * 256 + y * 16 + x;
                        float topLeft = values[base];
                        spread = Math.max(spread, Math.abs(values[base + 1] - topLeft));
                        spread = Math.max(spread, Math.abs(values[base + 16] - topLeft));
                        spread = Math.max(spread, Math.abs(values[base + 17] - topLeft));
                        nonZeroBlocks += topLeft != 0 ? 1 : 0;
                    }
                }
            }
            // Identical filters; the native kernels may sum their channels in another order (an ulp or two).
            assertThat(spread).isLessThan(1e-5);
            assertThat(nonZeroBlocks).isGreaterThan(100);
        }
    }

    @Test
    void heAndXavierNormalHaveTheirStandardDeviations() {
        Conv2dVertex he = new Conv2dVertex("conv", "input", 64, 64, 3, 1, Padding.SAME, false, InitScheme.HE_NORMAL);
        TorchNetwork network = TorchNetwork.create(singleLayer(he, 64));
        network.initialize(torch.make_generator_cpu(3));

        assertThat(std(Tensors.toFloats(network.tensor("conv.W")))).isCloseTo(Math.sqrt(2.0 / (64 * 9)),
                offset(0.02 * Math.sqrt(2.0 / (64 * 9))));
        // head: 64 -> 2, k = 1: xavier std sqrt(2 / (64 + 2)); only 128 draws, so a looser bound.
        assertThat(std(Tensors.toFloats(network.tensor("head.W")))).isCloseTo(Math.sqrt(2.0 / 66),
                offset(0.15 * Math.sqrt(2.0 / 66)));
        assertThat(Tensors.toFloats(network.tensor("head.b"))).containsOnly(0f);
    }

    @Test
    void icnrDrawsTheBaseKernelWithHeNormalAndCopiesItToEachSubPixel() {
        PixelShuffleConvVertex up = new PixelShuffleConvVertex("up", "input", 32, 16, 2, 3, false, Activation.RELU,
                InitScheme.ICNR_HE_NORMAL);
        TorchNetwork network = TorchNetwork.create(singleLayer(up, 32));
        network.initialize(torch.make_generator_cpu(5));
        float[] weights = Tensors.toFloats(network.tensor("up.W"));
        int filter = 32 * 9;

        for (int c = 0; c < 16; c++) {
            for (int s = 1; s < 4; s++) {
                for (int i = 0; i < filter; i++) {
                    assertThat(weights[(c * 4 + s) * filter + i]).isEqualTo(weights[c * 4 * filter + i]);
                }
            }
        }
        assertThat(std(weights)).isCloseTo(Math.sqrt(2.0 / filter), offset(0.05 * Math.sqrt(2.0 / filter)));
    }

    @Test
    void batchNormUsesBatchStatisticsAndUpdatesRunningOnesAsPyTorchDoes() throws IOException {
        TorchNetwork network = TorchNetwork.create(tinySpec());
        network.initialize(torch.make_generator_cpu(11));
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Map<String, Tensor> outputs = network.forwardAll(randomInput(4, 2, 3, 16, 16), Mode.TRAIN);
            float[] conv = Tensors.toFloats(outputs.get("enc_conv"));
            float[] normalised = Tensors.toFloats(outputs.get("enc_bn"));
            float[] runningMean = Tensors.toFloats(network.tensor("enc_bn.mean"));
            float[] runningVar = Tensors.toFloats(network.tensor("enc_bn.var"));
            int pixels = 2 * 256;
            for (int c = 0; c < 8; c++) {
                double sum = 0;
                double squares = 0;
                for (int n = 0; n < 2; n++) {
                    for (int p = 0; p < 256; p++) {
                        sum += conv[(n * 8 + c) * 256 + p];
                    }
                }
                double mean = sum / pixels;
                for (int n = 0; n < 2; n++) {
                    for (int p = 0; p < 256; p++) {
                        double d = conv[(n * 8 + c) * 256 + p] - mean;
                        squares += d * d;
                    }
                }
                double biasedVar = squares / pixels;
                double unbiasedVar = squares / (pixels - 1);
                assertThat(runningMean[c]).isCloseTo((float) (0.1 * mean), offset(1e-5f));
                assertThat(runningVar[c]).isCloseTo((float) (0.9 + 0.1 * unbiasedVar), offset(1e-5f));
                float first = conv[c * 256];
                assertThat(normalised[c * 256]).isCloseTo((float) ((first - mean) / Math.sqrt(biasedVar + 1e-5)),
                        offset(1e-4f));
            }
        }
    }

    @Test
    void aConvBnActVertexComputesWhatItsThreeVerticesCompute() throws IOException {
        // tiny-fused-network.json is tiny-network.json with enc_conv -> enc_bn -> enc_act as one vertex 'enc'.
        NetworkSpec fusedSpec;
        try (InputStream in = TorchNetworkTest.class.getResourceAsStream("/tiny-fused-network.json")) {
            fusedSpec = NetworkJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        TorchNetwork separate = TorchNetwork.create(tinySpec());
        separate.initialize(torch.make_generator_cpu(21));
        TorchNetwork fused = TorchNetwork.create(fusedSpec);
        Map<String, NpyArray> renamed = new HashMap<>();
        separate.export().forEach((key, value) -> renamed.put(key.replaceFirst("^enc_(conv|bn)\\.", "enc."), value));
        fused.load(renamed);
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor x = randomInput(6, 2, 3, 16, 16);
            float[] expected = Tensors.toFloats(separate.logits(x, Mode.TRAIN));
            float[] actual = Tensors.toFloats(fused.logits(x, Mode.TRAIN));

            assertThat(actual).containsExactly(expected, offset(1e-6f));
            assertThat(Tensors.toFloats(fused.tensor("enc.var")))
                    .containsExactly(Tensors.toFloats(separate.tensor("enc_bn.var")), offset(1e-7f));
            assertThat(Tensors.toFloats(fused.tensor("enc.mean")))
                    .containsExactly(Tensors.toFloats(separate.tensor("enc_bn.mean")), offset(1e-7f));
            assertThat(Tensors.toFloats(fused.tensor("enc.var"))).as("the running variance moved")
                    .isNotEqualTo(new float[] {1, 1, 1, 1, 1, 1, 1, 1});
            assertThat(Tensors.toFloats(fused.logits(x, Mode.EVAL)))
                    .containsExactly(Tensors.toFloats(separate.logits(x, Mode.EVAL)), offset(1e-6f));
        }
    }

    @Test
    void aBlurVertexIsThePixelShuffleConvolutionsBlurAndAConcatActivates() {
        PixelShuffleConvVertex blurred = new PixelShuffleConvVertex("up", "input", 4, 4, 2, 1, true,
                Activation.IDENTITY, InitScheme.HE_NORMAL);
        PixelShuffleConvVertex sharp = new PixelShuffleConvVertex("up", "input", 4, 4, 2, 1, false,
                Activation.IDENTITY, InitScheme.HE_NORMAL);
        TorchNetwork reference = TorchNetwork.create(singleLayer(blurred, 4));
        reference.initialize(torch.make_generator_cpu(3));
        VertexSpec head = new Conv2dVertex("head", "joined", 8, 2, 1, 1, Padding.SAME, true,
                InitScheme.XAVIER_NORMAL);
        TorchNetwork separate = TorchNetwork.create(new NetworkSpec(1, new InputSpec("input", new ImageShape(4, 8, 8)),
                new InputNormalization(ChannelOrder.RGB, 1.0, List.of(0.0), List.of(1.0)), 2,
                List.of(sharp, new BlurVertex("blur", "up"),
                        new ConcatVertex("joined", List.of("blur", "blur"), Activation.RELU), head,
                        new SoftmaxCrossEntropyVertex("loss", "head")), "loss"));
        Map<String, NpyArray> params = new HashMap<>(separate.export());
        params.put("up.W", reference.export().get("up.W"));
        separate.load(params);
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor x = randomInput(8, 1, 4, 8, 8);
            float[] expected = Tensors.toFloats(reference.forwardAll(x, Mode.EVAL).get("up"));
            Map<String, Tensor> outputs = separate.forwardAll(x, Mode.EVAL);
            float[] joined = Tensors.toFloats(outputs.get("joined"));

            assertThat(Tensors.toFloats(outputs.get("blur"))).containsExactly(expected, offset(1e-6f));
            float smallest = Float.MAX_VALUE;
            for (float value : expected) {
                smallest = Math.min(smallest, value);
            }
            assertThat(smallest).as("the blurred map has negative values for the ReLU to cut").isNegative();
            for (int i = 0; i < expected.length; i++) {
                assertThat(joined[i]).isEqualTo(Math.max(0, expected[i]), offset(1e-6f));
                assertThat(joined[expected.length + i]).isEqualTo(Math.max(0, expected[i]), offset(1e-6f));
            }
        }
    }

    @Test
    void blurKeepsTheSizeAndAConstantImageConstant() {
        PixelShuffleConvVertex up = new PixelShuffleConvVertex("up", "input", 4, 4, 2, 1, true, Activation.IDENTITY,
                InitScheme.HE_NORMAL);
        TorchNetwork network = TorchNetwork.create(singleLayer(up, 4));
        Map<String, NpyArray> params = new HashMap<>(network.export());
        float[] bias = new float[16];
        java.util.Arrays.fill(bias, 0.5f);
        params.put("up.b", NpyArray.ofFloats(new long[] {16}, bias));
        network.load(params);
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor out = network.forwardAll(randomInput(5, 1, 4, 8, 8), Mode.EVAL).get("up");

            assertThat(Tensors.shape(out)).containsExactly(1, 4, 16, 16);
            assertThat(Tensors.toFloats(out)).containsOnly(0.5f);
        }
    }

    @Test
    void exportAndLoadRoundTripAndMismatchesAreNamed() throws IOException {
        TorchNetwork first = TorchNetwork.create(tinySpec());
        first.initialize(torch.make_generator_cpu(9));
        Map<String, NpyArray> exported = first.export();
        TorchNetwork second = TorchNetwork.create(tinySpec());
        second.load(exported);

        assertThat(second.export()).containsExactlyEntriesOf(exported);

        Map<String, NpyArray> missing = new HashMap<>(exported);
        missing.remove("enc_bn.var");
        missing.put("enc_bn.running_var", exported.get("enc_bn.var"));
        assertThatThrownBy(() -> second.load(missing)).hasMessageContaining("missing [enc_bn.var]")
                .hasMessageContaining("not in the network [enc_bn.running_var]");
        Map<String, NpyArray> wrongShape = new HashMap<>(exported);
        wrongShape.put("head_conv.b", NpyArray.ofFloats(new long[] {1, 3}, 0, 0, 0));
        assertThatThrownBy(() -> second.load(wrongShape))
                .hasMessageContaining("'head_conv.b' has shape [1, 3] in the file but the network needs [3]");
    }

    @Test
    void aWrongInputShapeIsNamed() throws IOException {
        TorchNetwork network = TorchNetwork.create(tinySpec());
        try (PointerScope scope = new PointerScope()) {
            assertThatThrownBy(() -> network.logits(randomInput(1, 1, 3, 16, 12), Mode.EVAL))
                    .hasMessageContaining("needs [N, 3, 16, 16] but got [1, 3, 16, 12]");
        }
    }

    private static double std(float[] values) {
        double mean = 0;
        for (float value : values) {
            mean += value;
        }
        mean /= values.length;
        double squares = 0;
        for (float value : values) {
            squares += (value - mean) * (value - mean);
        }
        return Math.sqrt(squares / (values.length - 1));
    }
}
