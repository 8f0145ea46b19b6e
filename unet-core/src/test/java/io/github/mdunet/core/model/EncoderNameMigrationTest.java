package io.github.mdunet.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.graph.TestEncoders;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/** Encoders are saved under stable names; files that name them by Java class (format 3 and older) still load. */
class EncoderNameMigrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theClassicEncoderIsSavedUnderItsName() throws Exception {
        UNetConfig config = SavedModelFixtureTest.fixtureConfig();
        ObjectNode encoder = (ObjectNode) JSON.readTree(UNetFiles.toJson(config)).get("config").get("encoder");

        assertThat(encoder.get("type").asText()).isEqualTo("classic");
        assertThat(encoder.has("@class")).isFalse();
        assertThat(UNetFiles.fromJson(UNetFiles.toJson(config), Path.of("new.zip"))).isEqualTo(config);
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
}
