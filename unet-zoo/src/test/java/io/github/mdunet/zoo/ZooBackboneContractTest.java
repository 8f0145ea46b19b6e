package io.github.mdunet.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.EncoderSpec;
import io.github.mdunet.core.encoder.SkipTap;
import io.github.mdunet.core.graph.EncoderProbe;
import io.github.mdunet.core.model.UNet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The contract every zoo backbone keeps: its declared taps are in the graph with the declared channels and about
 * the declared strides, on a non-square input whose sides are not multiples of 32, and a U-Net on it builds, runs
 * forward and backward and returns the input's size.
 */
class ZooBackboneContractTest {

    /** Non-square; 96 and 160 are multiples of 32 but not of ResNet50's 64; 100 x 140 of nothing useful. */
    static final ImageShape INPUT = new ImageShape(3, 96, 160);
    static final ImageShape ODD_INPUT = new ImageShape(3, 100, 140);

    static Stream<Arguments> backbonesAndRules() {
        return Stream.of(ZooBackbone.values()).flatMap(backbone -> Stream.of(
                Arguments.of(backbone, ChannelReduction.HALVE), Arguments.of(backbone, ChannelReduction.EQ_SKIP)));
    }

    static Stream<Arguments> backbonesAndLayers() {
        return Stream.of(ZooBackbone.values()).flatMap(backbone -> Stream.of(BlockLayers.values())
                .map(layers -> Arguments.of(backbone, layers)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backbonesAndLayers")
    void declaredTapsMatchTheGraphOnANonSquareInput(ZooBackbone backbone, BlockLayers layers) {
        for (ImageShape input : List.of(INPUT, ODD_INPUT)) {
            EncoderProbe probe = EncoderProbe.probe(ZooEncoder.random(backbone), input,
                    new NeuralNetConfiguration.Builder(), "input", layers);
            EncoderSpec spec = probe.spec();
            assertThat(spec.skips()).isEqualTo(backbone.skips());
            assertThat(spec.bottleneck()).isEqualTo(backbone.bottleneck());
            List<SkipTap> taps = new ArrayList<>(spec.skips());
            taps.add(spec.bottleneck());
            for (SkipTap tap : taps) {
                ImageShape real = probe.shapes().get(tap.vertexName());
                assertThat(real.channels()).as(tap.vertexName()).isEqualTo(tap.channels());
                // height and width are not swapped, and each is the input's divided by the stride, rounded up
                assertThat(real.height()).as(tap.vertexName() + " height at " + input)
                        .isBetween(input.height() / tap.stride() - 1, input.height() / tap.stride() + 1);
                assertThat(real.width()).as(tap.vertexName() + " width at " + input)
                        .isBetween(input.width() / tap.stride() - 1, input.width() / tap.stride() + 1);
            }
        }
    }

    /**
     * Any channel count works from scratch and with pretrained weights, the zoo's checked files included: their RGB
     * first convolution is adapted as timm does ({@code PretrainedWeightsTest}).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ZooBackbone.class)
    void anyChannelCountWorksFromScratchAndWithPretrainedWeights(ZooBackbone backbone) {
        ImageShape gray = new ImageShape(1, 64, 96);
        EncoderProbe probe = EncoderProbe.probe(ZooEncoder.random(backbone), gray,
                new NeuralNetConfiguration.Builder(), "input", BlockLayers.STOCK);
        assertThat(probe.shapes().get(backbone.bottleneck().vertexName()).channels())
                .isEqualTo(backbone.bottleneck().channels());
        for (Weights weights : List.of(Weights.imagenet(), Weights.file("zoo.zip"), Weights.ownFile("mine.zip"))) {
            assertThat(UNetConfig.builder().encoder(new ZooEncoder(backbone, weights)).input(gray).numClasses(2)
                    .build().input()).as("%s", weights).isEqualTo(gray);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backbonesAndRules")
    void uNetBuildsAndRunsForwardAndBackwardOnANonSquareInput(ZooBackbone backbone, ChannelReduction rule) {
        UNetConfig config = UNetConfig.builder().encoder(ZooEncoder.random(backbone)).input(INPUT).numClasses(2)
                .channelReduction(rule).midChannelScale(0.25)
                // plain SGD: no optimiser state for 30M to 150M parameters; the step still changes every weight
                .updater(new Sgd(1e-3)).build();
        long start = System.nanoTime();
        UNet unet = UNet.build(config);
        ComputationGraph graph = unet.graph();
        INDArray image = Nd4j.rand(DataType.FLOAT, 1, 3, INPUT.height(), INPUT.width());
        INDArray output = unet.predict(image);
        assertThat(output.shape()).containsExactly(1, 2, INPUT.height(), INPUT.width());
        assertThat(ParameterTable.parameters(graph.getConfiguration(), null)).as("counted without allocating")
                .isEqualTo(unet.numParams());

        INDArray labels = Nd4j.zeros(DataType.FLOAT, 1, 2, INPUT.height(), INPUT.width());
        labels.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(0))
                .assign(1);
        INDArray before = graph.getLayer(firstLayer(backbone)).params().dup();
        long built = System.nanoTime();
        graph.fit(new MultiDataSet(image, labels));
        System.out.printf("%s %s: %,d parameters, build %.1f s, forward+fit %.1f s%n", backbone, rule,
                unet.numParams(), (built - start) / 1e9, (System.nanoTime() - built) / 1e9);
        assertThat(Double.isFinite(graph.score())).isTrue();
        // exact: with the loss averaged over pixels an SGD step of 1e-3 moves weights by about 1e-6, inside
        // INDArray.equals' tolerance
        assertThat(graph.getLayer(firstLayer(backbone)).params().sub(before).amaxNumber().doubleValue())
                .as("encoder's first layer trains").isPositive();
    }

    /**
     * SqueezeNet's total stride is 16, but its three 3x3 stride-2 Truncate pools need 23 pixels per side: below that
     * a map collapses to nothing, and the probe says so with the smallest size that works.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(BlockLayers.class)
    void squeezeNetNeeds23PixelsPerSideNotJustItsTotalStride(BlockLayers layers) {
        ZooEncoder squeezeNet = ZooEncoder.random(ZooBackbone.SQUEEZENET);
        assertThatThrownBy(() -> EncoderProbe.probe(squeezeNet, new ImageShape(3, 16, 16),
                new NeuralNetConfiguration.Builder(), "input", layers))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("encoder " + squeezeNet)
                .hasMessageContaining("input 3x16x16")
                .hasMessageContaining("use at least 23 pixels per side");
        assertThatThrownBy(() -> EncoderProbe.probe(squeezeNet, new ImageShape(3, 22, 40),
                new NeuralNetConfiguration.Builder(), "input", layers))
                .hasMessageContaining("height 0 and width 1").hasMessageContaining("use at least 23 pixels per side");
        ImageShape smallest = new ImageShape(3, 23, 23);
        EncoderProbe probe = EncoderProbe.probe(squeezeNet, smallest, new NeuralNetConfiguration.Builder(), "input",
                layers);
        assertThat(probe.shapes().get("fire9")).isEqualTo(new ImageShape(512, 1, 1));
        UNet unet = UNet.build(UNetConfig.builder().encoder(squeezeNet).input(smallest)
                .numClasses(2).layers(layers).midChannelScale(0.25).build());
        assertThat(unet.predict(Nd4j.rand(DataType.FLOAT, 1, 3, 23, 23)).shape()).containsExactly(1, 2, 23, 23);
    }

    /** The encoder's first layer with weights on the fused path (the default): a fused block where there is one. */
    static String firstLayer(ZooBackbone backbone) {
        return switch (backbone) {
            case RESNET50, RESNET50_DL4J -> "stem-act1";
            case VGG16, VGG19 -> "0";
            case DARKNET19, TINY_YOLO -> "activation_1";
            case SQUEEZENET -> "conv1";
            case XCEPTION -> "block1_conv1";
        };
    }

    /**
     * Keras's Xception (whose weights the zoo converted) has linear convolutions, each followed by batch norm and,
     * where the block has one, an explicit ReLU layer; the zoo's graph leaves DL4J's default sigmoid on them.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(BlockLayers.class)
    void xceptionsConvolutionsAreLinearAsInKeras(BlockLayers layers) {
        ComputationGraphConfiguration.GraphBuilder graph = new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("input");
        ZooEncoder.random(ZooBackbone.XCEPTION).addTo(graph, "input", INPUT, layers);
        List<String> convolutions = new ArrayList<>();
        graph.getVertices().forEach((name, vertex) -> {
            if (vertex instanceof LayerVertex layerVertex
                    && layerVertex.getLayerConf().getLayer() instanceof ConvolutionLayer convolution) {
                assertThat(convolution.getActivationFn()).as(name).isInstanceOf(ActivationIdentity.class);
                convolutions.add(name);
            }
        });
        // 2 stem, 4 residual 1x1 and 34 separable convolutions up to block14_sepconv2
        assertThat(convolutions).hasSize(40).contains("block1_conv1", "residual12_conv", "block14_sepconv2");
    }
}
