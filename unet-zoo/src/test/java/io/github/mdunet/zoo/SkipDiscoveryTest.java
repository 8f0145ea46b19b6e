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
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

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
