package io.github.mdunet.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.Loss;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.graph.TestEncoders;
import io.github.mdunet.core.loss.TinyFeatures;
import java.lang.reflect.RecordComponent;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Encoders and feature extractors are saved under stable names; files that name them by Java class (encoders:
 * format 3 and older; feature extractors: format 4 and older) still load.
 */
class StableNameMigrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theClassicEncoderIsSavedUnderItsName() throws Exception {
        UNetConfig config = SavedModelFixtureTest.fixtureConfig();
        ObjectNode encoder = (ObjectNode) JSON.readTree(UNetFiles.toJson(config)).get("config").get("encoder");

        assertThat(encoder.get("type").asText()).isEqualTo("classic");
        assertThat(encoder.has("@class")).isFalse();
        assertThat(UNetFiles.fromJson(UNetFiles.toJson(config), Path.of("new.zip"))).isEqualTo(config);
    }

    /** The migrations find the saved fields by these constants, which must stay the records' component names. */
    @Test
    void theFieldsTheMigrationsReadAreTheSavedOnes() {
        assertThat(List.of(UNetConfig.ENCODER_FIELD, UNetConfig.LOSS_FIELD, Loss.Perceptual.FEATURES_FIELD))
                .containsExactly("encoder", "loss", "features");
        assertThat(Arrays.stream(UNetConfig.class.getRecordComponents()).map(RecordComponent::getName))
                .contains(UNetConfig.ENCODER_FIELD, UNetConfig.LOSS_FIELD);
        assertThat(Loss.Perceptual.class.getRecordComponents()[0].getName()).isEqualTo(Loss.Perceptual.FEATURES_FIELD);
        assertThat(Loss.HEAD_DEFAULT).isEqualTo("headDefault");
    }

    @Test
    void aFormatThreeFileWithTheClassNameLoads() throws Exception {
        UNetConfig config = SavedModelFixtureTest.fixtureConfig();
        ObjectNode root = (ObjectNode) JSON.readTree(UNetFiles.toJson(config));
        root.put("formatVersion", 3);
        ObjectNode encoder = (ObjectNode) root.get("config").get("encoder");
        encoder.remove("type");
        encoder.put("@class", "io.github.mdunet.core.encoder.ClassicEncoder");

        assertThat(UNetFiles.fromJson(JSON.writeValueAsString(root), Path.of("old.zip"))).isEqualTo(config);
    }

    @Test
    void anEncoderWithoutANameTravelsUnderItsClassName() throws Exception {
        UNetConfig config = UNetConfig.builder().encoder(new TestEncoders.Strided(List.of(8, 16)))
                .input(new ImageShape(3, 32, 32)).numClasses(2).build();
        String json = UNetFiles.toJson(config);

        assertThat(JSON.readTree(json).get("config").get("encoder").get("type").asText())
                .isEqualTo(TestEncoders.Strided.class.getName());
        assertThat(UNetFiles.fromJson(json, Path.of("own.zip"))).isEqualTo(config);

        ObjectNode old = (ObjectNode) JSON.readTree(json);
        old.put("formatVersion", 3);
        ObjectNode encoder = (ObjectNode) old.get("config").get("encoder");
        encoder.put("@class", encoder.remove("type").asText());
        assertThat(UNetFiles.fromJson(JSON.writeValueAsString(old), Path.of("own-old.zip"))).isEqualTo(config);
    }

    @Test
    void anUnknownTypeIsRefusedListingTheNames() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(UNetFiles.toJson(SavedModelFixtureTest.fixtureConfig()));
        ((ObjectNode) root.get("config").get("encoder")).put("type", "clasic");
        assertThatThrownBy(() -> UNetFiles.fromJson(JSON.writeValueAsString(root), Path.of("typo.zip")))
                .hasMessageContaining("unknown encoder type 'clasic'").hasMessageContaining("classic");
    }

    private static UNetConfig perceptual() {
        return UNetConfig.builder().encoder(new ClassicEncoder(2, 4, Normalization.NONE))
                .input(new ImageShape(3, 16, 16)).numClasses(3).head(new HeadActivation.Residual())
                .loss(new Loss.Perceptual(new TinyFeatures(3, List.of(1.0, 2.0)), 1.0, 0)).build();
    }

    @Test
    void aFeatureExtractorWithoutANameTravelsUnderItsClassNameAndAFormatFourFileLoads() throws Exception {
        UNetConfig config = perceptual();
        ObjectNode root = (ObjectNode) JSON.readTree(UNetFiles.toJson(config));
        ObjectNode features = (ObjectNode) root.get("config").get("loss").get("features");

        assertThat(features.get("type").asText()).isEqualTo(TinyFeatures.class.getName());
        assertThat(features.has("@class")).isFalse();

        root.put("formatVersion", 4);
        features.put("@class", features.remove("type").asText());
        assertThat(UNetFiles.fromJson(JSON.writeValueAsString(root), Path.of("perceptual-old.zip"))).isEqualTo(config);
    }

    @Test
    void anUnknownFeatureExtractorIsRefusedNamingItsFamily() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(UNetFiles.toJson(perceptual()));
        ((ObjectNode) root.get("config").get("loss").get("features")).put("type", "vgg61");
        assertThatThrownBy(() -> UNetFiles.fromJson(JSON.writeValueAsString(root), Path.of("typo.zip")))
                .hasMessageContaining("unknown feature extractor type 'vgg61'")
                .hasMessageContaining("the class name of a FeatureExtractor on the class path");
    }

    @Test
    void aTypeOfAnotherFamilyIsRefused() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(UNetFiles.toJson(SavedModelFixtureTest.fixtureConfig()));
        ((ObjectNode) root.get("config").get("encoder")).put("type", TinyFeatures.class.getName());
        assertThatThrownBy(() -> UNetFiles.fromJson(JSON.writeValueAsString(root), Path.of("mixed.zip")))
                .hasMessageContaining("encoder type '" + TinyFeatures.class.getName() + "' names")
                .hasMessageContaining("which is not an Encoder");
    }

    @Test
    void aPerceptualModelSavedInFormatFourLoads(@TempDir Path directory) throws Exception {
        UNet unet = UNet.build(perceptual());
        assertThat(unet.graph().getConfiguration().toJson()).as("DL4J's own JSON names the extractor by class")
                .contains("\"@class\" : \"" + TinyFeatures.class.getName() + "\"");
        Path file = directory.resolve("format4.zip");
        unet.save(file);
        try (FileSystem zip = FileSystems.newFileSystem(file)) {
            Path entry = zip.getPath(UNetFiles.CONFIG_ENTRY);
            ObjectNode root = (ObjectNode) JSON.readTree(Files.readString(entry));
            root.put("formatVersion", 4);
            ObjectNode features = (ObjectNode) root.get("config").get("loss").get("features");
            features.put("@class", features.remove("type").asText());
            Files.writeString(entry, JSON.writeValueAsString(root));
        }

        UNet loaded = UNet.load(file);
        assertThat(loaded.config()).isEqualTo(unet.config());
        assertThat(loaded.graph().params()).isEqualTo(unet.graph().params());
    }
}
