package io.github.mdunet.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.config.UNetConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/** Files of format 2 (no {@code layers} field) load on DL4J's layers; format 3 keeps what it says. */
class BlockLayersMigrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void formatTwoConfigurationsGetTheStockLayers() throws Exception {
        UNetConfig config = SavedModelFixtureTest.fixtureConfig().withLayers(BlockLayers.FUSED);
        ObjectNode root = (ObjectNode) JSON.readTree(UNetFiles.toJson(config));
        root.put("formatVersion", 2);
        ((ObjectNode) root.get("config")).remove("layers");
        UNetConfig loaded = UNetFiles.fromJson(JSON.writeValueAsString(root), Path.of("old.zip"));
        assertThat(loaded.layers()).isEqualTo(BlockLayers.STOCK);
        assertThat(loaded).isEqualTo(config.withLayers(BlockLayers.STOCK));
    }

    @Test
    void formatThreeConfigurationsKeepTheirLayers() throws Exception {
        for (BlockLayers layers : BlockLayers.values()) {
            UNetConfig config = SavedModelFixtureTest.fixtureConfig().withLayers(layers);
            String json = UNetFiles.toJson(config);
            assertThat(JSON.readTree(json).get("formatVersion").asInt()).isEqualTo(UNetFiles.FORMAT_VERSION);
            assertThat(UNetFiles.fromJson(json, Path.of("new.zip"))).isEqualTo(config);
        }
    }

    @Test
    void newConfigurationsDefaultToTheFusedLayers() {
        assertThat(SavedModelFixtureTest.fixtureConfig().toBuilder().build().layers()).isEqualTo(BlockLayers.STOCK);
        assertThat(UNetConfig.builder().encoder(SavedModelFixtureTest.fixtureConfig().encoder())
                .input(SavedModelFixtureTest.fixtureConfig().input()).numClasses(2).build().layers())
                .isEqualTo(BlockLayers.FUSED);
    }
}
