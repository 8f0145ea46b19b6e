package io.github.mdunet.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.DecoderLayout;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.encoder.ClassicEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Files before format 6 (no {@code decoderLayout}) load with {@link DecoderLayout#FORMATS_1_TO_5}, the graph they
 * were saved with, and predict as before; format 6 keeps the layout it names; new configurations get fastai's.
 */
class DecoderLayoutMigrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    /** Where the layouts differ: blur, last cross, no normalisation (fastai's defaults), at 32 px. */
    private static UNetConfig config(BlockLayers layers, DecoderLayout layout) {
        return UNetConfig.builder().encoder(new ClassicEncoder(2, 4, Normalization.NONE))
                .input(new ImageShape(2, 32, 32)).numClasses(3).upsample(new UpsampleMode.PixelShuffle(true))
                .lastCross(true).normalization(Normalization.NONE).layers(layers).decoderLayout(layout)
                .updater(new Sgd(0.05)).seed(4).build();
    }

    /** {@code config}'s entry as format 5 wrote it: no {@code decoderLayout}. */
    private static String formatFiveJson(UNetConfig config) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(UNetFiles.toJson(config));
        root.put("formatVersion", 5);
        ((ObjectNode) root.get("config")).remove(DecoderLayoutMigration.FIELD);
        return JSON.writeValueAsString(root);
    }

    @Test
    void formatFiveConfigurationsGetTheLayoutTheyWereBuiltWith() throws Exception {
        UNetConfig config = config(BlockLayers.FUSED, DecoderLayout.FORMATS_1_TO_5);
        UNetConfig loaded = UNetFiles.fromJson(formatFiveJson(config), Path.of("old.zip"));
        assertThat(loaded.decoderLayout()).isEqualTo(DecoderLayout.FORMATS_1_TO_5);
        assertThat(loaded).isEqualTo(config);
    }

    @Test
    void formatSixConfigurationsKeepTheirLayoutUnderAStableName() throws Exception {
        for (DecoderLayout layout : DecoderLayout.values()) {
            UNetConfig config = config(BlockLayers.STOCK, layout);
            String json = UNetFiles.toJson(config);
            assertThat(JSON.readTree(json).get("formatVersion").asInt()).isEqualTo(6)
                    .isEqualTo(UNetFiles.FORMAT_VERSION);
            assertThat(JSON.readTree(json).get("config").get("decoderLayout").asText()).isEqualTo(layout.name());
            assertThat(UNetFiles.fromJson(json, Path.of("new.zip"))).isEqualTo(config);
        }
        assertThat(UNetFiles.configJson(config(BlockLayers.FUSED, DecoderLayout.FASTAI)))
                .contains("\"decoderLayout\" : \"FASTAI\"");
        assertThat(UNetFiles.configJson(config(BlockLayers.FUSED, DecoderLayout.FORMATS_1_TO_5)))
                .contains("\"decoderLayout\" : \"FORMATS_1_TO_5\"");
    }

    @Test
    void newConfigurationsDefaultToFastaisLayout() {
        assertThat(UNetConfig.builder().encoder(new ClassicEncoder(2, 4, Normalization.BATCH))
                .input(new ImageShape(2, 32, 32)).numClasses(2).build().decoderLayout())
                .isEqualTo(DecoderLayout.FASTAI);
        assertThat(config(BlockLayers.FUSED, DecoderLayout.FORMATS_1_TO_5).toBuilder().build().decoderLayout())
                .isEqualTo(DecoderLayout.FORMATS_1_TO_5);
    }

    /** A U-Net trained one SGD step on 2 random images and saved, with those images to compare predictions on. */
    private record Saved(UNet unet, INDArray image) {

        /** {@code layers}' U-Net in {@code layout}, its step's data drawn from {@code seed}, saved to {@code file}. */
        static Saved trainOneStepAndSave(BlockLayers layers, DecoderLayout layout, long seed, Path file)
                throws IOException {
            UNet unet = UNet.build(config(layers, layout));
            Nd4j.getRandom().setSeed(seed);
            INDArray image = Nd4j.rand(DataType.FLOAT, 2, 2, 32, 32);
            unet.graph().fit(new DataSet(image, Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32)));
            unet.save(file);
            return new Saved(unet, image);
        }

        /** {@code loaded} has the saved model's configuration, graph and parameters, and predicts the same. */
        void assertLoadedAsSaved(UNet loaded) {
            assertThat(loaded.config()).isEqualTo(unet.config());
            assertThat(loaded.graph().getConfiguration()).isEqualTo(unet.graph().getConfiguration());
            assertThat(loaded.graph().params()).isEqualTo(unet.graph().params());
            assertThat(loaded.predict(image)).isEqualTo(unet.predict(image));
        }
    }

    /** A model saved by format 5 (its entry rewritten as format 5 wrote it) loads its graph and predicts the same. */
    @ParameterizedTest
    @EnumSource(BlockLayers.class)
    void aFormatFiveFileLoadsWithItsGraphAndPredictsTheSame(BlockLayers layers) throws IOException {
        Path file = directory.resolve("format5-" + layers + ".zip");
        Saved saved = Saved.trainOneStepAndSave(layers, DecoderLayout.FORMATS_1_TO_5, 2, file);
        String formatFive = formatFiveJson(saved.unet().config());
        try (FileSystem zip = FileSystems.newFileSystem(file)) {
            Files.writeString(zip.getPath(UNetFiles.CONFIG_ENTRY), formatFive, StandardCharsets.UTF_8);
        }

        UNet loaded = UNet.load(file);
        assertThat(loaded.config().decoderLayout()).isEqualTo(DecoderLayout.FORMATS_1_TO_5);
        saved.assertLoadedAsSaved(loaded);
        assertThat(loaded.graph().getConfiguration().getVertices()).doesNotContainKeys("mid_in_bn", "dec1_skip_bn",
                "cross_sum_act");
        assertThat(loaded.channelPlan().finalChannels()).isEqualTo(4);
        // the same configuration built today has fastai's layout, another graph
        UNet today = UNet.build(loaded.config().withDecoderLayout(DecoderLayout.FASTAI));
        assertThat(today.numParams()).isNotEqualTo(loaded.numParams());
    }

    @ParameterizedTest
    @EnumSource(BlockLayers.class)
    void fastaisLayoutSavesAndLoads(BlockLayers layers) throws IOException {
        Path file = directory.resolve("fastai-" + layers + ".zip");
        Saved saved = Saved.trainOneStepAndSave(layers, DecoderLayout.FASTAI, 3, file);
        UNet loaded = UNet.load(file);
        saved.assertLoadedAsSaved(loaded);
        assertThat(loaded.config().decoderLayout()).isEqualTo(DecoderLayout.FASTAI);
        assertThat(loaded.channelPlan().finalChannels()).isEqualTo(6);
    }
}
