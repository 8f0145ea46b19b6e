package io.github.mdunet.core.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.blocks.VertexNames;
import io.github.mdunet.core.config.DecoderLayout;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.layers.SubPixelConvolution;
import io.github.mdunet.core.layers.direct.ConvNormActivation;
import io.github.mdunet.core.layers.direct.DirectBatchNorm;
import io.github.mdunet.core.layers.direct.DirectBlur;
import io.github.mdunet.core.layers.direct.ResidualActivation;
import io.github.mdunet.core.model.UNet;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The three places where {@link DecoderLayout#FASTAI} builds fastai's {@code DynamicUnet} and
 * {@link DecoderLayout#FORMATS_1_TO_5} what files before format 6 hold, on both layer paths, at 32 px: the final
 * upsampling's blur, the last cross, and the batch norms {@code Normalization.NONE} keeps.
 */
class DecoderLayoutGraphTest {

    private static final ImageShape INPUT = new ImageShape(2, 32, 32);

    /** The tiny classic encoder (skips 4@/1, 8@/2, bottleneck 16@/4): the last stage outputs 4 channels. */
    private static UNetConfig.Builder tiny(BlockLayers layers, Normalization normalization) {
        return UNetConfig.builder().encoder(new ClassicEncoder(2, 4, normalization)).input(INPUT).numClasses(3)
                .normalization(normalization).layers(layers).updater(new Sgd(0.01)).seed(5);
    }

    private static ComputationGraphConfiguration graphOf(UNetConfig config) {
        return UNetGraphFactory.create(config).configuration();
    }

    private static Layer layer(ComputationGraphConfiguration graph, String vertex) {
        return ((LayerVertex) graph.getVertices().get(vertex)).getLayerConf().getLayer();
    }

    private static List<String> inputsOf(ComputationGraphConfiguration graph, String vertex) {
        return graph.getVertexInputs().get(vertex);
    }

    @ParameterizedTest
    @EnumSource(BlockLayers.class)
    void fastaiBlursTheDecoderStagesButNotTheFinalUpsampling(BlockLayers layers) {
        // first skip at stride 2: a final upsampling x2 to the input's resolution
        UNetConfig config = UNetConfig.builder().encoder(new TestEncoders.Strided(List.of(4, 8, 16))).input(INPUT)
                .numClasses(3).upsample(new UpsampleMode.PixelShuffle(true)).layers(layers).build();
        assertThat(config.decoderLayout()).isEqualTo(DecoderLayout.FASTAI);
        ComputationGraphConfiguration fastai = graphOf(config);
        ComputationGraphConfiguration before = graphOf(config.withDecoderLayout(DecoderLayout.FORMATS_1_TO_5));
        switch (layers) {
            case FUSED -> {
                assertThat(layer(fastai, "dec1_up_blur")).isInstanceOf(DirectBlur.class);
                assertThat(fastai.getVertices()).containsKey("final_up_shuffle").doesNotContainKey("final_up_blur");
                assertThat(inputsOf(fastai, VertexNames.HEAD)).containsExactly("final_up_shuffle");
                assertThat(layer(before, "final_up_blur")).isInstanceOf(DirectBlur.class);
            }
            case STOCK -> {
                assertThat(((SubPixelConvolution) layer(fastai, "dec1_up_shuffle")).isBlur()).isTrue();
                assertThat(((SubPixelConvolution) layer(fastai, "final_up_shuffle")).isBlur()).isFalse();
                assertThat(((SubPixelConvolution) layer(before, "final_up_shuffle")).isBlur()).isTrue();
            }
        }
        INDArray image = Nd4j.rand(DataType.FLOAT, 1, 2, 32, 32);
        assertThat(UNet.build(config).predict(image).shape()).containsExactly(1, 3, 32, 32);
    }

    @ParameterizedTest
    @EnumSource(BlockLayers.class)
    void fastaiLastCrossIsAResBlockOnTheFeaturesAndTheImage(BlockLayers layers) {
        UNetConfig config = tiny(layers, Normalization.BATCH).lastCross(true).build();
        UNetGraphFactory.Blueprint blueprint = UNetGraphFactory.create(config);
        ComputationGraphConfiguration graph = blueprint.configuration();
        assertThat(blueprint.plan().finalChannels()).as("4 decoder channels + 2 image channels").isEqualTo(6);
        assertThat(UNet.plan(config).finalChannels()).isEqualTo(6);
        assertThat(graph.getVertices().get("cross_concat")).isInstanceOf(MergeVertex.class);
        assertThat(inputsOf(graph, "cross_concat")).containsExactly("dec2_2_" + lastBlock(layers),
                VertexNames.INPUT);
        String join = "cross_sum_act";
        switch (layers) {
            case FUSED -> {
                ConvNormActivation first = (ConvNormActivation) layer(graph, "cross_1_conv_bn_act");
                assertThat(first.getNOut()).isEqualTo(6);
                assertThat(first.getActivationFn()).isInstanceOf(ActivationReLU.class);
                assertThat(first.getGammaInit()).isEqualTo(1.0);
                ConvNormActivation second = (ConvNormActivation) layer(graph, "cross_2_conv_bn");
                assertThat(second.getNOut()).isEqualTo(6);
                assertThat(second.getKernelSize()).containsExactly(3, 3);
                assertThat(second.isBatchNorm()).isTrue();
                assertThat(second.getActivationFn()).isInstanceOf(ActivationIdentity.class);
                assertThat(second.getGammaInit()).isZero();
                assertThat(graph.getVertices().get(join))
                        .isEqualTo(new ResidualActivation(new ActivationReLU(), true));
                assertThat(inputsOf(graph, join)).containsExactly("cross_2_conv_bn", "cross_concat");
            }
            case STOCK -> {
                assertThat(((ConvolutionLayer) layer(graph, "cross_1_conv")).getNOut()).isEqualTo(6);
                assertThat(((ConvolutionLayer) layer(graph, "cross_2_conv")).getNOut()).isEqualTo(6);
                assertThat(((ConvolutionLayer) layer(graph, "cross_2_conv")).getActivationFn())
                        .isInstanceOf(ActivationIdentity.class);
                assertThat(((BatchNormalization) layer(graph, "cross_2_bn")).getGamma()).isZero();
                assertThat(graph.getVertices()).doesNotContainKey("cross_2_act");
                assertThat(graph.getVertices().get("cross_sum")).isInstanceOf(ElementWiseVertex.class);
                assertThat(((ElementWiseVertex) graph.getVertices().get("cross_sum")).getOp())
                        .isEqualTo(ElementWiseVertex.Op.Add);
                assertThat(inputsOf(graph, "cross_sum")).containsExactly("cross_2_bn", "cross_concat");
                assertThat(((ActivationLayer) layer(graph, join)).getActivationFn())
                        .isInstanceOf(ActivationReLU.class);
                assertThat(inputsOf(graph, join)).containsExactly("cross_sum");
            }
        }
        assertThat(inputsOf(graph, VertexNames.HEAD)).containsExactly(join);
        assertThat(blueprint.blockOf(join)).isEqualTo(GraphBlock.FINAL);
        assertThat(blueprint.blockOf("cross_concat")).isEqualTo(GraphBlock.FINAL);

        UNet unet = UNet.build(config);
        String secondNorm = layers == BlockLayers.FUSED ? "cross_2_conv_bn" : "cross_2_bn";
        assertThat(unet.graph().getLayer(secondNorm).getParam("gamma").amaxNumber().doubleValue()).isZero();
        assertThat(unet.graph().getLayer(VertexNames.HEAD).getParam("W").shape()).containsExactly(3, 6, 1, 1);
        INDArray image = Nd4j.rand(DataType.FLOAT, 2, 2, 32, 32);
        for (boolean training : new boolean[] {false, true}) {
            Map<String, INDArray> activations = unet.graph().feedForward(image, training);
            INDArray expected = Transforms.relu(activations.get("cross_concat"), true);
            assertThat(activations.get(join).equalsWithEps(expected, 1e-6))
                    .as("a fresh cross block is relu(identity), training=%s", training).isTrue();
        }
        // the fused join writes over its branch in training: one step runs
        unet.graph().fit(new DataSet(image, Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32)));
        assertThat(unet.graph().score()).isFinite();
    }

    private static String lastBlock(BlockLayers layers) {
        return switch (layers) {
            case FUSED -> "conv_bn_act";
            case STOCK -> "act";
        };
    }

    @ParameterizedTest
    @EnumSource(BlockLayers.class)
    void theLayoutBeforeFormatSixMixesTheCrossBackWithTwoConvolutions(BlockLayers layers) {
        UNetConfig config = tiny(layers, Normalization.BATCH).lastCross(true)
                .decoderLayout(DecoderLayout.FORMATS_1_TO_5).build();
        UNetGraphFactory.Blueprint blueprint = UNetGraphFactory.create(config);
        assertThat(blueprint.plan().finalChannels()).isEqualTo(4);
        String last = layers == BlockLayers.FUSED ? "cross_2_conv_bn_act" : "cross_2_act";
        assertThat(inputsOf(blueprint.configuration(), VertexNames.HEAD)).containsExactly(last);
        assertThat(blueprint.configuration().getVertices()).doesNotContainKeys("cross_sum", "cross_sum_act");
    }

    @ParameterizedTest
    @EnumSource(BlockLayers.class)
    void fastaiKeepsTheSkipsAndTheMidBlocksBatchNormsWithoutNormalization(BlockLayers layers) {
        UNetConfig config = tiny(layers, Normalization.NONE).build();
        ComputationGraphConfiguration fastai = graphOf(config);
        Class<?> batchNorm = layers == BlockLayers.FUSED ? DirectBatchNorm.class : BatchNormalization.class;
        for (String norm : List.of("mid_in_bn", "dec1_skip_bn", "dec2_skip_bn")) {
            assertThat(layer(fastai, norm)).as(norm).isInstanceOf(batchNorm);
        }
        assertThat(((ActivationLayer) layer(fastai, "mid_in_act")).getActivationFn())
                .isInstanceOf(ActivationReLU.class);
        assertThat(inputsOf(fastai, "mid_in_act")).containsExactly("mid_in_bn");
        String midConv = layers == BlockLayers.FUSED ? "mid_1_conv_act" : "mid_1_conv";
        assertThat(inputsOf(fastai, midConv)).containsExactly("mid_in_act");
        assertThat(inputsOf(fastai, layers == BlockLayers.FUSED ? "dec1_concat_act" : "dec1_concat"))
                .contains("dec1_skip_bn");
        // the convolutions themselves have no batch norm and a bias
        switch (layers) {
            case FUSED -> {
                ConvNormActivation conv = (ConvNormActivation) layer(fastai, midConv);
                assertThat(conv.isBatchNorm()).isFalse();
                assertThat(conv.isHasBias()).isTrue();
            }
            case STOCK -> {
                assertThat(((ConvolutionLayer) layer(fastai, midConv)).hasBias()).isTrue();
                assertThat(fastai.getVertices()).doesNotContainKey("mid_1_bn");
            }
        }
        ComputationGraphConfiguration before = graphOf(config.withDecoderLayout(DecoderLayout.FORMATS_1_TO_5));
        assertThat(before.getVertices()).doesNotContainKeys("mid_in_bn", "mid_in_act", "dec1_skip_bn",
                "dec2_skip_bn");
        assertThat(inputsOf(before, midConv)).containsExactly("enc_bottleneckb_" + encoderBlock(layers));
        INDArray image = Nd4j.rand(DataType.FLOAT, 1, 2, 32, 32);
        assertThat(UNet.build(config).predict(image).shape()).containsExactly(1, 3, 32, 32);
    }

    private static String encoderBlock(BlockLayers layers) {
        return switch (layers) {
            case FUSED -> "conv_act";
            case STOCK -> "conv";
        };
    }

    @Test
    void withBatchNormNoBlurAndNoLastCrossTheLayoutsBuildTheSameGraph() {
        for (BlockLayers layers : BlockLayers.values()) {
            UNetConfig fastai = tiny(layers, Normalization.BATCH).upsample(new UpsampleMode.PixelShuffle(false))
                    .build();
            assertThat(graphOf(fastai).toJson()).as("%s", layers)
                    .isEqualTo(graphOf(fastai.withDecoderLayout(DecoderLayout.FORMATS_1_TO_5)).toJson());
        }
    }
}
