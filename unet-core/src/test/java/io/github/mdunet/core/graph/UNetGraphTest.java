package io.github.mdunet.core.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.blocks.VertexNames;
import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.DecoderLayout;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.encoder.Encoder;
import io.github.mdunet.core.encoder.EncoderSpec;
import io.github.mdunet.core.encoder.SkipTap;
import io.github.mdunet.core.layers.AttentionGate;
import io.github.mdunet.core.layers.BilinearResize;
import io.github.mdunet.core.layers.SelfAttention;
import io.github.mdunet.core.layers.SubPixelConvolution;
import io.github.mdunet.core.model.UNet;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class UNetGraphTest {

    static Stream<UpsampleMode> modes() {
        return Stream.of(new UpsampleMode.PixelShuffle(false), new UpsampleMode.PixelShuffle(true),
                new UpsampleMode.Transposed(), new UpsampleMode.BilinearConv(), new UpsampleMode.Bilinear());
    }

    static Stream<Arguments> modesAndSizes() {
        return Stream.of(BlockLayers.values()).flatMap(layers -> modes().flatMap(mode -> Stream.of(
                Arguments.of(mode, 97, 131, layers), Arguments.of(mode, 64, 48, layers))));
    }

    /** The tiny U-Net on DL4J's layers, whose vertex names these tests read (FusedLayersGraphTest: the others). */
    private static UNetConfig.Builder tiny(ImageShape input) {
        return UNetConfig.builder().encoder(new ClassicEncoder(3, 4, Normalization.BATCH)).input(input).numClasses(3)
                .layers(BlockLayers.STOCK);
    }

    private static Layer layer(ComputationGraph graph, String vertex) {
        return ((LayerVertex) graph.getConfiguration().getVertices().get(vertex)).getLayerConf().getLayer();
    }

    private static long paramsOf(ComputationGraph graph, String prefix) {
        return Arrays.stream(graph.getLayers()).filter(l -> l.getConfig().getLayerName().startsWith(prefix))
                .mapToLong(org.deeplearning4j.nn.api.Layer::numParams).sum();
    }

    @ParameterizedTest(name = "{0} at {1}x{2}, {3}")
    @MethodSource("modesAndSizes")
    void outputHasExactlyTheInputSizeForAnySize(UpsampleMode mode, int height, int width, BlockLayers layers) {
        UNet unet = UNet.build(tiny(new ImageShape(2, height, width)).upsample(mode).layers(layers).build());
        INDArray output = unet.predict(Nd4j.rand(DataType.FLOAT, 2, 2, height, width));
        assertThat(output.shape()).containsExactly(2, 3, height, width);
        assertThat(output.sum(1).getDouble(0, 5, 7)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void sizesThatDivideTheStrideNeedNoResizeAndOthersAreResizedNeverCropped() {
        ComputationGraph divisible = UNet.build(tiny(new ImageShape(1, 64, 48)).build()).graph();
        assertThat(divisible.getConfiguration().getVertices().keySet()).noneMatch(name -> name.endsWith("_resize"));
        ComputationGraph odd = UNet.build(tiny(new ImageShape(1, 97, 131)).build()).graph();
        // 97 -> 48 -> 24 -> 12 by the encoder's pools; 12 -> 24 -> 48 -> 96 up; the last stage meets the
        // 97x131 skip and is resized to it.
        BilinearResize resize = (BilinearResize) layer(odd, "dec3_resize");
        assertThat(new int[] {resize.getInputHeight(), resize.getInputWidth()}).containsExactly(96, 130);
        assertThat(new int[] {resize.getOutputHeight(), resize.getOutputWidth()}).containsExactly(97, 131);
        assertThat(odd.getConfiguration().getVertices().keySet()).noneMatch(name -> name.contains("crop"));
    }

    @Test
    void eachUpsampleModeBuildsItsOwnLayers() {
        ImageShape input = new ImageShape(1, 32, 32);
        ComputationGraph shuffle =
                UNet.build(tiny(input).upsample(new UpsampleMode.PixelShuffle(true)).build()).graph();
        assertThat(layer(shuffle, "dec1_up_shuffle")).isInstanceOf(SubPixelConvolution.class);
        assertThat(((SubPixelConvolution) layer(shuffle, "dec1_up_shuffle")).isBlur()).isTrue();

        ComputationGraph transposed = UNet.build(tiny(input).upsample(new UpsampleMode.Transposed()).build()).graph();
        assertThat(layer(transposed, "dec1_up_deconv")).isInstanceOf(Deconvolution2D.class);

        ComputationGraph bilinearConv = UNet.build(tiny(input).upsample(new UpsampleMode.BilinearConv()).build())
                .graph();
        assertThat(layer(bilinearConv, "dec1_up_bilinear")).isInstanceOf(BilinearResize.class);
        assertThat(paramsOf(bilinearConv, "dec1_up_")).isPositive();

        ComputationGraph bilinear = UNet.build(tiny(input).upsample(new UpsampleMode.Bilinear()).build()).graph();
        assertThat(layer(bilinear, "dec1_up_bilinear")).isInstanceOf(BilinearResize.class);
        assertThat(paramsOf(bilinear, "dec1_up_")).isZero();
    }

    @Test
    void blurChangesTheOutput() {
        ImageShape input = new ImageShape(1, 32, 32);
        INDArray image = Nd4j.rand(DataType.FLOAT, 1, 1, 32, 32);
        INDArray plain = UNet.build(tiny(input).upsample(new UpsampleMode.PixelShuffle(false)).build()).predict(image);
        INDArray blurred = UNet.build(tiny(input).upsample(new UpsampleMode.PixelShuffle(true)).build()).predict(image);
        assertThat(plain.equalsWithEps(blurred, 1e-6)).isFalse();
    }

    @Test
    void reductionsCutTheDecodersParametersOnAWideEncoder() {
        UNetConfig.Builder wide = UNetConfig.builder().encoder(new TestEncoders.Strided(List.of(32, 128, 256, 512)))
                .input(new ImageShape(3, 32, 32)).numClasses(2).layers(BlockLayers.STOCK);
        long none = UNet.build(wide.channelReduction(ChannelReduction.NONE).build()).numParams();
        long halve = UNet.build(wide.channelReduction(ChannelReduction.HALVE).build()).numParams();
        long eqSkip = UNet.build(wide.channelReduction(ChannelReduction.EQ_SKIP).build()).numParams();
        assertThat(halve).isLessThan(none * 3 / 4);
        assertThat(eqSkip).isLessThan(none * 3 / 4);
    }

    @Test
    void midChannelScaleSetsTheMidConvolutionsWidth() {
        UNetConfig.Builder base = tiny(new ImageShape(1, 32, 32));
        ComputationGraph narrow = UNet.build(base.midChannelScale(0.5).build()).graph();
        ComputationGraph wide = UNet.build(base.midChannelScale(2.0).build()).graph();
        // Bottleneck of the classic encoder depth 3, width 4: 32 channels.
        assertThat(narrow.getLayer("mid_1_conv").getParam("W").shape()).containsExactly(16, 32, 3, 3);
        assertThat(wide.getLayer("mid_1_conv").getParam("W").shape()).containsExactly(64, 32, 3, 3);
        assertThat(wide.getLayer("mid_2_conv").getParam("W").shape()).containsExactly(32, 64, 3, 3);
    }

    @Test
    void attentionOptionsAddTheirLayersWhereConfigured() {
        ComputationGraph graph = UNet.build(tiny(new ImageShape(1, 32, 32)).midAttention(true).attentionGates(2)
                .build()).graph();
        assertThat(layer(graph, "mid_attention")).isInstanceOf(SelfAttention.class);
        assertThat(graph.getConfiguration().getVertices().keySet()).doesNotContain("dec1_gate");
        assertThat(layer(graph, "dec2_gate")).isInstanceOf(AttentionGate.class);
        assertThat(layer(graph, "dec3_gate")).isInstanceOf(AttentionGate.class);
        assertThat(graph.getLayer("mid_attention").getParam("gamma").sumNumber().doubleValue()).isZero();
    }

    @Test
    void lastCrossFeedsTheInputImageToTheHead() {
        ComputationGraph graph = UNet.build(tiny(new ImageShape(2, 32, 32)).lastCross(true).build()).graph();
        assertThat(graph.getConfiguration().getVertexInputs().get("cross_concat")).contains(VertexNames.INPUT);
        // fastai's ResBlock keeps the decoder output (classic, EQ_SKIP: 4 channels) + 2 input channels to the head
        assertThat(graph.getLayer("cross_1_conv").getParam("W").shape()).containsExactly(6, 6, 3, 3);
        assertThat(graph.getLayer(VertexNames.HEAD).getParam("W").shape()).containsExactly(3, 6, 1, 1);
        ComputationGraph before = UNet.build(tiny(new ImageShape(2, 32, 32)).lastCross(true)
                .decoderLayout(DecoderLayout.FORMATS_1_TO_5).build()).graph();
        // the layout before format 6 mixes them back to the decoder's 4
        assertThat(before.getLayer("cross_1_conv").getParam("W").shape()).containsExactly(4, 6, 3, 3);
        assertThat(before.getLayer(VertexNames.HEAD).getParam("W").shape()).containsExactly(3, 4, 1, 1);
    }

    @Test
    void headActivationsBoundTheOutput() {
        ImageShape input = new ImageShape(1, 32, 32);
        INDArray image = Nd4j.rand(DataType.FLOAT, 1, 1, 32, 32).muli(50);
        INDArray range = UNet.build(tiny(input).numClasses(1).head(new HeadActivation.SigmoidRange(-2, 3)).build())
                .predict(image);
        assertThat(range.minNumber().doubleValue()).isGreaterThan(-2);
        assertThat(range.maxNumber().doubleValue()).isLessThan(3);
        INDArray sigmoid = UNet.build(tiny(input).numClasses(1).head(new HeadActivation.Sigmoid()).build())
                .predict(image);
        assertThat(sigmoid.minNumber().doubleValue()).isGreaterThanOrEqualTo(0);
        assertThat(sigmoid.maxNumber().doubleValue()).isLessThanOrEqualTo(1);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(BlockLayers.class)
    void memoryReportWorksWithTheCustomLayers(BlockLayers layers) {
        UNet unet = UNet.build(tiny(new ImageShape(1, 33, 47)).midAttention(true).attentionGates(1)
                .upsample(new UpsampleMode.PixelShuffle(true)).layers(layers).build());
        long bytes = unet.graph().getConfiguration().getMemoryReport(unet.config().input().toInputType())
                .getTotalMemoryBytes(2, MemoryUseMode.TRAINING, CacheMode.NONE, DataType.FLOAT);
        assertThat(bytes).isGreaterThan(unet.numParams() * 4);
    }

    @Test
    void withGraphAcceptsOnlyAGraphOfTheSameShape() {
        UNet unet = UNet.build(tiny(new ImageShape(1, 32, 32)).build());
        ComputationGraph copy = unet.graph().clone();
        assertThat(unet.withGraph(copy).graph()).isSameAs(copy);
        ComputationGraph other = UNet.build(tiny(new ImageShape(1, 32, 32)).midAttention(true).build()).graph();
        assertThatThrownBy(() -> unet.withGraph(other)).hasMessageContaining("unexpected [mid_attention]");
    }

    @Test
    void summaryShowsThePlan() {
        assertThat(UNet.build(tiny(new ImageShape(1, 32, 32)).build()).summary())
                .contains("stage 1", "enc3b_act", "mid", "parameters");
    }

    @Test
    void badEncoderTapsAreNamed() {
        ImageShape input = new ImageShape(1, 32, 32);
        Encoder missing = new TapOverride(0, new SkipTap("no_such_vertex", 4, 1));
        assertThatThrownBy(() -> UNet.build(tiny(input).encoder(missing).build()))
                .hasMessageContaining("'no_such_vertex'").hasMessageContaining("enc1b_act");
        Encoder wrongChannels = new TapOverride(0, new SkipTap("enc1b_act", 5, 1));
        assertThatThrownBy(() -> UNet.build(tiny(input).encoder(wrongChannels).build()))
                .hasMessageContaining("'enc1b_act'").hasMessageContaining("declares 5 channels but the graph gives 4");
        Encoder wrongStride = new TapOverride(2, new SkipTap("enc_bottleneckb_act", 16, 16));
        assertThatThrownBy(() -> UNet.build(tiny(input).encoder(wrongStride).build()))
                .hasMessageContaining("'enc_bottleneckb_act'").hasMessageContaining("declares stride 16")
                .hasMessageContaining("gives 8x8");
    }

    @Test
    void tooSmallInputIsRejectedWithTheEncodersStride() {
        assertThatThrownBy(() -> UNet.build(tiny(new ImageShape(1, 5, 32)).build()))
                .hasMessageContaining("input 1x5x32 is smaller than the total stride 8")
                .hasMessageContaining("use at least 8 pixels per side");
    }

    /** The stride check scales with the stride: at 8 pixels, a 4x4 map declared at stride 4 (2x2) is refused. */
    @Test
    void aStrideDeclaredTwiceTooLargeIsRefusedAlsoOnASmallInput() {
        ImageShape input = new ImageShape(1, 8, 8);
        UNetConfig.Builder depthOne = tiny(input).encoder(new ClassicEncoder(1, 4, Normalization.BATCH));
        assertThat(UNet.build(depthOne.build()).numParams()).as("declared right: stride 2").isPositive();
        assertThatThrownBy(() -> UNet.build(depthOne.encoder(new BottleneckStride(4)).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'enc_bottleneckb_act'").hasMessageContaining("declares stride 4")
                .hasMessageContaining("gives 4x4");
    }

    @Test
    void aSkipOffThePathToTheBottleneckIsNamed() {
        assertThatThrownBy(() -> UNet.build(tiny(new ImageShape(1, 16, 16)).encoder(new SideBranchSkip()).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("declares skip vertex 'side'")
                .hasMessageContaining("not on the path from the input to its bottleneck 'down'");
    }

    /** The classic encoder of depth 1 (skip at stride 1, bottleneck at 2), bottleneck declared at {@code stride}. */
    private record BottleneckStride(int stride) implements Encoder {
        @Override
        public EncoderSpec addTo(GraphBuilder graph, String inputVertex, ImageShape input) {
            EncoderSpec real = new ClassicEncoder(1, 4, Normalization.BATCH).addTo(graph, inputVertex, input);
            SkipTap bottleneck = real.bottleneck();
            return new EncoderSpec(real.skips(), new SkipTap(bottleneck.vertexName(), bottleneck.channels(), stride));
        }
    }

    /** A skip {@code side} computed from the input but feeding nothing, and a bottleneck {@code down} at stride 2. */
    private record SideBranchSkip() implements Encoder {
        @Override
        public EncoderSpec addTo(GraphBuilder graph, String inputVertex, ImageShape input) {
            graph.addLayer("side", new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same)
                    .build(), inputVertex);
            graph.addLayer("down", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(8)
                    .convolutionMode(ConvolutionMode.Same).build(), inputVertex);
            return new EncoderSpec(List.of(new SkipTap("side", 4, 1)), new SkipTap("down", 8, 2));
        }
    }

    /** The classic encoder (depth 2, width 4) with one tap replaced: skip 0, skip 1 or (2) the bottleneck. */
    private record TapOverride(int index, SkipTap tap) implements Encoder {
        @Override
        public EncoderSpec addTo(GraphBuilder graph, String inputVertex, ImageShape input) {
            EncoderSpec real = TestEncoders.tinyClassic().addTo(graph, inputVertex, input);
            List<SkipTap> taps = new java.util.ArrayList<>(real.skips());
            taps.add(real.bottleneck());
            taps.set(index, tap);
            return new EncoderSpec(taps.subList(0, 2), taps.get(2));
        }
    }
}
