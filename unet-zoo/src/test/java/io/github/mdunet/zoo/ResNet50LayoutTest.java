package io.github.mdunet.zoo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.config.DecoderLayout;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.graph.EncoderProbe;
import io.github.mdunet.core.model.UNet;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.zoo.model.ResNet50;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * ResNet50's two layouts (the reference one, total stride 32, and DL4J's, 64), the DL4J zoo quirks the encoder
 * neutralises (the 55-pixel stem, the height/width swap), and old saved models keeping DL4J's layout.
 */
class ResNet50LayoutTest {

    private static final ImageShape IMAGENET = new ImageShape(3, 224, 224);

    @TempDir
    Path directory;

    private static EncoderProbe probe(ZooBackbone backbone, ImageShape input) {
        return EncoderProbe.probe(ZooEncoder.random(backbone), input, new NeuralNetConfiguration.Builder(), "input",
                BlockLayers.STOCK);
    }

    private static InputType.InputTypeConvolutional typeOf(ComputationGraphConfiguration conf, String vertex,
                                                             InputType input) {
        Map<String, InputType> types = conf.getLayerActivationTypes(input);
        return (InputType.InputTypeConvolutional) types.get(vertex);
    }

    @Test
    void theReferenceLayoutHalvesFiveTimesLikeKerasAndTorchvision() {
        EncoderProbe probe = probe(ZooBackbone.RESNET50, IMAGENET);
        // torchvision's resnet50 feature maps at 224: act1 112, layer1 56, layer2 28, layer3 14, layer4 7
        assertThat(probe.shapes().get("stem-act1")).isEqualTo(new ImageShape(64, 112, 112));
        assertThat(probe.shapes().get("res2c_branch")).isEqualTo(new ImageShape(256, 56, 56));
        assertThat(probe.shapes().get("res3d_branch")).isEqualTo(new ImageShape(512, 28, 28));
        assertThat(probe.shapes().get("res4f_branch")).isEqualTo(new ImageShape(1024, 14, 14));
        assertThat(probe.shapes().get("res5c_branch")).isEqualTo(new ImageShape(2048, 7, 7));
        assertThat(ZooBackbone.RESNET50.bottleneck().stride()).isEqualTo(32);
    }

    @Test
    void theDl4jLayoutDownsamplesInRes2aAndReachesStride64() {
        InputType input = IMAGENET.toInputType();
        assertThat(typeOf(ZooBackbone.RESNET50_DL4J.zooConfiguration(3), "stem-maxpool1", input).getHeight())
                .as("the zoo's own stem truncates").isEqualTo(55);
        EncoderProbe probe = probe(ZooBackbone.RESNET50_DL4J, IMAGENET);
        assertThat(probe.shapes().get("stem-maxpool1")).isEqualTo(new ImageShape(64, 56, 56));
        assertThat(probe.shapes().get("res2c_branch")).isEqualTo(new ImageShape(256, 28, 28));
        assertThat(probe.shapes().get("res5c_branch")).isEqualTo(new ImageShape(2048, 4, 4));
    }

    @Test
    void theZooSwapsHeightAndWidthButTheEncoderDoesNot() {
        var zoo = ResNet50.builder().numClasses(2).inputShape(new int[] {3, 96, 160}).build().graphBuilder();
        InputType.InputTypeConvolutional zooInput =
                (InputType.InputTypeConvolutional) zoo.getNetworkInputTypes().get(0);
        assertThat(zooInput.getHeight()).as("DL4J's zoo reads inputShape {c, h, w} as {c, w, h}").isEqualTo(160);

        EncoderProbe probe = probe(ZooBackbone.RESNET50, new ImageShape(3, 96, 160));
        assertThat(probe.shapes().get("stem-act1")).isEqualTo(new ImageShape(64, 48, 80));
        assertThat(probe.shapes().get("res2c_branch")).isEqualTo(new ImageShape(256, 24, 40));
        assertThat(probe.shapes().get("res5c_branch")).isEqualTo(new ImageShape(2048, 3, 5));
    }

    @Test
    void aModelSavedInFormat1AsResNet50LoadsWithDl4jsLayoutAndPredictsTheSame() throws IOException {
        Path oldConfig = Path.of("src/test/resources/fixtures/unet-format1-resnet50-config.json");
        // what that file meant: DL4J's layout, with five skips (the reference layout has four), on DL4J's layers, with
        // the decoder layout of formats 1 to 5
        UNetConfig meant = UNetConfig.builder().encoder(ZooEncoder.imagenet(ZooBackbone.RESNET50_DL4J))
                .input(new ImageShape(3, 64, 96)).numClasses(2).decoderChannels(List.of(32, 16, 16, 8, 8))
                .midChannelScale(0.0625).updater(new Sgd(0.01)).layers(BlockLayers.STOCK)
                .decoderLayout(DecoderLayout.FORMATS_1_TO_5).build();
        UNet original = UNet.build(meant);
        Path file = directory.resolve("old.zip");
        original.save(file);
        // the graph entries are DL4J's own format; the config entry is what version 0.1.0 wrote
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + file.toUri()), Map.of())) {
            Files.copy(oldConfig, zip.getPath("mdunet-config.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }

        UNet loaded = UNet.load(file);
        assertThat(loaded.config()).isEqualTo(meant);
        INDArray image = Nd4j.rand(DataType.FLOAT, 1, 3, 64, 96);
        assertThat(loaded.predict(image)).isEqualTo(original.predict(image));
    }

    @Test
    void theMigrationLeavesFormat2AndOtherBackbonesAlone() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ZooConfigMigration migration = new ZooConfigMigration();
        for (ZooBackbone backbone : ZooBackbone.values()) {
            ObjectNode config = (ObjectNode) json.readTree("{\"encoder\":" + json.writeValueAsString(
                    ZooEncoder.random(backbone)) + "}");
            String before = config.toString();
            migration.upgrade(2, config);
            assertThat(config.toString()).isEqualTo(before);
            migration.upgrade(1, config);
            assertThat(config.path("encoder").path("backbone").asText())
                    .isEqualTo(backbone == ZooBackbone.RESNET50 ? "RESNET50_DL4J" : backbone.name());
        }
    }
}
