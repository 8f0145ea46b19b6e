package io.github.mdunet.zoo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.Encoder;
import io.github.mdunet.core.encoder.SkipTap;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.zoo.PretrainedType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/** The encoders travel inside the U-Net configuration's JSON (as {@code UNet.save} writes it) and come back equal. */
class EncoderJsonTest {

    /** Jackson with its defaults, as {@code UNetFiles} reads the configuration (it only adds indenting). */
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Encoder> encoders() {
        return Stream.of(ZooEncoder.random(ZooBackbone.XCEPTION), ZooEncoder.imagenet(ZooBackbone.RESNET50),
                new ZooEncoder(ZooBackbone.DARKNET19, new Weights.ZooCache(PretrainedType.IMAGENETLARGE)),
                new ZooEncoder(ZooBackbone.VGG16, Weights.file("/data/vgg16_dl4j_inference.zip")),
                new ZooEncoder(ZooBackbone.SQUEEZENET, Weights.ownFile("my-squeezenet.zip")),
                GraphEncoder.discovering(TestGraphs.smallClassifier(3)),
                GraphEncoder.declared(TestGraphs.smallClassifier(3), List.of(new SkipTap("a1", 8, 1)),
                        new SkipTap("sum", 16, 2)));
    }

    /** A two-class U-Net on {@code encoder} for a non-square input. */
    private static UNetConfig config(Encoder encoder) {
        return UNetConfig.builder().encoder(encoder).input(new ImageShape(3, 64, 96)).numClasses(2).build();
    }

    @ParameterizedTest
    @MethodSource("encoders")
    void roundTripsThroughTheConfigurationJson(Encoder encoder) throws Exception {
        UNetConfig config = config(encoder);
        String text = JSON.writeValueAsString(config);
        UNetConfig back = JSON.readValue(text, UNetConfig.class);
        assertThat(back).isEqualTo(config);
        assertThat(back.encoder().inputNormalization()).isEqualTo(encoder.inputNormalization());
    }

    @ParameterizedTest
    @MethodSource("encoders")
    void isSavedUnderAStableNameAndStillReadsItsClassName(Encoder encoder) throws Exception {
        UNetConfig config = config(encoder);
        ObjectNode tree = JSON.valueToTree(config);
        ObjectNode saved = (ObjectNode) tree.get("encoder");
        assertThat(saved.get("type").asText()).isEqualTo(encoder instanceof ZooEncoder ? "zoo" : "graph");
        assertThat(saved.has("@class")).isFalse();

        saved.put("type", encoder.getClass().getName());
        assertThat(JSON.treeToValue(tree, UNetConfig.class)).isEqualTo(config);
    }

    /** ZooConfigMigration finds the backbone by this constant, which must stay the record's component name. */
    @Test
    void theBackboneFieldIsTheSavedOne() {
        assertThat(ZooEncoder.BACKBONE_FIELD).isEqualTo("backbone");
        assertThat(ZooEncoder.class.getRecordComponents()[0].getName()).isEqualTo(ZooEncoder.BACKBONE_FIELD);
        ObjectNode saved = (ObjectNode) JSON.valueToTree(config(ZooEncoder.random(ZooBackbone.VGG16))).get("encoder");
        assertThat(saved.get("backbone").asText()).isEqualTo("VGG16");
    }

    /** The U-Net copies a graph's layers, not its seeds: a builder's default seed (the clock's time) makes no other. */
    @Test
    void aGraphsSeedIsNotPartOfItsEncoder() {
        ComputationGraphConfiguration reseeded = TestGraphs.smallClassifier(3);
        reseeded.getDefaultConfiguration().setSeed(8);
        reseeded.getVertices().values().stream().filter(LayerVertex.class::isInstance)
                .forEach(vertex -> ((LayerVertex) vertex).getLayerConf().setSeed(8));

        assertThat(GraphEncoder.discovering(reseeded))
                .isEqualTo(GraphEncoder.discovering(TestGraphs.smallClassifier(3)));
        assertThat(GraphEncoder.discovering(TestGraphs.smallClassifier(4)))
                .isNotEqualTo(GraphEncoder.discovering(TestGraphs.smallClassifier(3)));
    }
}
