package io.github.mdunet.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.VertexNames;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.EncoderSpec;
import io.github.mdunet.core.encoder.SkipTap;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.zoo.graph.GraphSource;
import io.github.mdunet.zoo.graph.SkipDiscovery;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class SkipDiscoveryTest {

    private static final ImageShape INPUT = new ImageShape(3, 96, 160);

    /** Building a two-class U-Net on {@code encoder} is refused with a message that contains each of {@code named}. */
    private static void assertBuildRefusedNaming(GraphEncoder encoder, ImageShape input, String... named) {
        UNetConfig config = UNetConfig.builder().encoder(encoder).input(input).numClasses(2).build();
        assertThatThrownBy(() -> UNet.build(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll(named);
    }

    @Test
    void findsTheDl4jResNet50sDeclaredTapsInTheZooGraphHeadIncluded() {
        EncoderSpec found = SkipDiscovery.discover(ZooBackbone.RESNET50_DL4J.zooConfiguration(3), INPUT.toInputType());
        assertThat(found.skips()).isEqualTo(ZooBackbone.RESNET50_DL4J.skips());
        assertThat(found.bottleneck()).isEqualTo(ZooBackbone.RESNET50_DL4J.bottleneck());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ZooBackbone.class, names = {"VGG16", "VGG19"})
    void findsVggsTapsButTreatsTheFifthPoolAsTheHeads(ZooBackbone backbone) {
        EncoderSpec found = SkipDiscovery.discover(backbone.zooConfiguration(3), INPUT.toInputType());
        List<SkipTap> declared = backbone.skips();
        assertThat(found.skips()).isEqualTo(declared.subList(0, declared.size() - 1));
        assertThat(found.bottleneck()).isEqualTo(declared.get(declared.size() - 1));
    }

    @Test
    void keepsAClassifierConvolutionBeforeGlobalPoolingInTheBottleneck() {
        // the documented limit: Darknet19's 1x1 classifier conv is a 2-D map at the deepest level
        EncoderSpec found = SkipDiscovery.discover(ZooBackbone.DARKNET19.zooConfiguration(3), INPUT.toInputType());
        assertThat(found.skips()).isEqualTo(ZooBackbone.DARKNET19.skips());
        assertThat(found.bottleneck().vertexName()).isEqualTo("convolution2d_19");
    }

    @Test
    void findsTheLastVertexBeforeEachChangeOfResolutionInAUserGraph() {
        EncoderSpec found = SkipDiscovery.discover(TestGraphs.smallClassifier(1), new ImageShape(1, 50, 70)
                .toInputType());
        assertThat(found.skips()).containsExactly(new SkipTap("a1", 8, 1), new SkipTap("sum", 16, 2));
        assertThat(found.bottleneck()).isEqualTo(new SkipTap("a3", 32, 4));
    }

    /**
     * {@code img -> c0 (8, /1) -> c1 ... c5 (stride-2 Same convolutions, 16 ... 256 channels) -> out (CnnLossLayer)}:
     * a user graph whose output layer has a 2-D output.
     */
    private static ComputationGraphConfiguration fiveStrideTwoConvolutionsAndACnnLoss() {
        var graph = new NeuralNetConfiguration.Builder().convolutionMode(ConvolutionMode.Same).graphBuilder()
                .addInputs("img");
        String previous = "img";
        for (int i = 0; i <= 5; i++) {
            int stride = i == 0 ? 1 : 2;
            graph.addLayer("c" + i, new ConvolutionLayer.Builder(3, 3).stride(stride, stride).nOut(8 << i).build(),
                    previous);
            previous = "c" + i;
        }
        return graph.addLayer("out", new CnnLossLayer.Builder().build(), previous).setOutputs("out")
                .setInputTypes(InputType.convolutional(64, 64, 3)).build();
    }

    /**
     * Levels are counted by resolution drops: at 36 pixels the five stride-2 convolutions give 18, 9, 5, 3 and 2, and
     * 3 and 2 (ratios 12 and 18 to the input, both "stride 16" when rounded) are two levels, not one. The CnnLossLayer
     * at the end, whose output is 2-D too, is a prediction, not the bottleneck.
     */
    @ParameterizedTest(name = "{0} px")
    @ValueSource(ints = {36, 40, 44, 64})
    void everyResolutionDropIsALevelAtSmallInputsToo(int side) {
        EncoderSpec found = SkipDiscovery.discover(fiveStrideTwoConvolutionsAndACnnLoss(),
                InputType.convolutional(side, side, 3));
        assertThat(found.skips()).containsExactly(new SkipTap("c0", 8, 1), new SkipTap("c1", 16, 2),
                new SkipTap("c2", 32, 4), new SkipTap("c3", 64, 8), new SkipTap("c4", 128, 16));
        assertThat(found.bottleneck()).isEqualTo(new SkipTap("c5", 256, 32));
    }

    /**
     * YOLO2's {@code Yolo2OutputLayer} outputs a 2-D map at the deepest level; it is the detector's loss, not a feature
     * map: the bottleneck is the detection convolution before it, and the U-Net trains (with the output layer as its
     * bottleneck, fit threw for the missing detection labels).
     */
    @Test
    void anOutputLayerIsNeverAFeatureMapSoAYolo2UNetTrains() {
        ComputationGraphConfiguration yolo2 = org.deeplearning4j.zoo.model.YOLO2.builder().numClasses(2).build()
                .conf();
        ImageShape input = new ImageShape(3, 64, 96);
        EncoderSpec found = SkipDiscovery.discover(yolo2, input.toInputType());
        assertThat(found.bottleneck()).isEqualTo(new SkipTap("convolution2d_23", 35, 32));
        assertThat(found.skips()).extracting(SkipTap::vertexName).containsExactly("activation_1", "activation_2",
                "activation_5", "activation_8", "activation_13");

        UNet unet = UNet.build(UNetConfig.builder().encoder(GraphEncoder.discovering(yolo2)).input(input)
                .numClasses(2).decoderChannels(List.of(8, 8, 8, 8, 8)).midChannelScale(0.0625).build());
        assertThat(unet.graph().getConfiguration().getVertices()).doesNotContainKey("outputs");
        Nd4j.getRandom().setSeed(11);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 1, 2, 64, 96);
        labels.get(NDArrayIndex.all(), NDArrayIndex.point(1)).assign(1);
        unet.graph().fit(new MultiDataSet(Nd4j.rand(DataType.FLOAT, 1, 3, 64, 96), labels));
        assertThat(unet.graph().score()).isFinite();
    }

    @Test
    void worksOnAGraphBuilderBeforeItIsBuilt() {
        var builder = org.deeplearning4j.zoo.model.ResNet50.builder().numClasses(2).build().graphBuilder();
        EncoderSpec found = SkipDiscovery.discover(GraphSource.of(builder), INPUT.toInputType());
        assertThat(found.skips()).isEqualTo(ZooBackbone.RESNET50_DL4J.skips());
    }

    @Test
    void aUserGraphBecomesAUNetThatSavesAndLoads(@TempDir Path directory) throws Exception {
        ImageShape input = new ImageShape(1, 50, 70);
        UNetConfig config = UNetConfig.builder().encoder(GraphEncoder.discovering(TestGraphs.smallClassifier(1)))
                .input(input).numClasses(2).build();
        UNet unet = UNet.build(config);
        assertThat(unet.graph().getConfiguration().getVertices()).doesNotContainKeys("gap", "out")
                .containsKeys("c1", "bn1", "sum", "c2b", "a3");
        assertThat(unet.predict(Nd4j.rand(DataType.FLOAT, 2, 1, 50, 70)).shape()).containsExactly(2, 2, 50, 70);

        Path file = directory.resolve("unet.zip");
        unet.save(file);
        UNet loaded = UNet.load(file);
        assertThat(loaded.config()).isEqualTo(config);
        assertThat(loaded.graph().params()).isEqualTo(unet.graph().params());
    }

    @Test
    void aMissingDeclaredVertexIsNamedWithTheVerticesThatExist() {
        ComputationGraphConfiguration graph = TestGraphs.smallClassifier(1);
        GraphEncoder wrong = GraphEncoder.declared(graph, List.of(new SkipTap("a1", 8, 1)),
                new SkipTap("block9", 32, 4));
        assertBuildRefusedNaming(wrong, new ImageShape(1, 48, 64), "'block9'", "c1", "sum");
    }

    @Test
    void aWrongDeclaredChannelCountIsNamed() {
        GraphEncoder wrong = GraphEncoder.declared(TestGraphs.smallClassifier(1),
                List.of(new SkipTap("a1", 8, 1), new SkipTap("sum", 99, 2)), new SkipTap("a3", 32, 4));
        assertBuildRefusedNaming(wrong, new ImageShape(1, 48, 64), "'sum'", "99", "16");
    }

    @Test
    void aSourceVertexNamedLikeTheUNetsBlocksIsRefusedWithTheReservedNames() {
        ComputationGraphConfiguration graph = new NeuralNetConfiguration.Builder()
                .convolutionMode(ConvolutionMode.Same).graphBuilder()
                .addInputs("img")
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(8).build(), "img")
                .addLayer("dec1_act", new ActivationLayer(Activation.RELU), "c1")
                .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).build(), "dec1_act")
                .setOutputs("pool")
                .setInputTypes(InputType.convolutional(32, 32, 1))
                .build();
        GraphEncoder clashing = GraphEncoder.declared(graph, List.of(new SkipTap("dec1_act", 8, 1)),
                new SkipTap("pool", 8, 2));
        assertBuildRefusedNaming(clashing, new ImageShape(1, 32, 32), "vertex 'dec1_act'",
                VertexNames.describeReservedByUNet(), "rename it in the source graph");
    }
}
