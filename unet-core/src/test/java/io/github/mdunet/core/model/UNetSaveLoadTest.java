package io.github.mdunet.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.encoder.ImageShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;

class UNetSaveLoadTest {

    @TempDir
    Path directory;

    /** Every option away from its default, so a field lost on the way shows. */
    private static UNetConfig unusual() {
        return UNetConfig.builder()
                .encoder(new ClassicEncoder(2, 3, Normalization.NONE))
                .input(new ImageShape(2, 29, 35))
                .numClasses(1)
                .upsample(new UpsampleMode.PixelShuffle(true))
                .decoderChannels(List.of(7, 5))
                .midChannelScale(0.75)
                .midAttention(true)
                .attentionGates(1)
                .lastCross(true)
                .head(new HeadActivation.SigmoidRange(-1.5, 2.5))
                .normalization(Normalization.NONE)
                .seed(7)
                .dataType(DataType.FLOAT)
                .updater(new Nesterovs(0.01, 0.8))
                .build();
    }

    @Test
    void roundTripKeepsConfigurationWeightsAndPredictions() throws IOException {
        UNet unet = UNet.build(unusual());
        INDArray image = Nd4j.rand(DataType.FLOAT, 2, 2, 29, 35);
        unet.graph().fit(new org.nd4j.linalg.dataset.DataSet(image, Nd4j.rand(DataType.FLOAT, 2, 1, 29, 35)));
        Path file = directory.resolve("models/unet.zip");
        unet.save(file);

        UNet loaded = UNet.load(file);
        assertThat(loaded.config()).isEqualTo(unet.config());
        assertThat(loaded.channelPlan()).isEqualTo(unet.channelPlan());
        assertThat(loaded.graph().getConfiguration()).isEqualTo(unet.graph().getConfiguration());
        assertThat(loaded.graph().params()).isEqualTo(unet.graph().params());
        assertThat(loaded.graph().getUpdater().getStateViewArray())
                .isEqualTo(unet.graph().getUpdater().getStateViewArray());
        assertThat(loaded.predict(image)).isEqualTo(unet.predict(image));
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void savedFileIsAPlainDl4jModelToo() throws IOException {
        UNet unet = UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(1, 2, Normalization.BATCH))
                .input(new ImageShape(1, 16, 16)).numClasses(2).channelReduction(ChannelReduction.HALVE).build());
        Path file = directory.resolve("unet.zip");
        unet.save(file);
        assertThat(ModelSerializer.restoreComputationGraph(file.toFile()).params()).isEqualTo(unet.graph().params());
    }

    @Test
    void loadingAPlainDl4jModelSaysWhatIsMissing() throws IOException {
        UNet unet = UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(1, 2, Normalization.BATCH))
                .input(new ImageShape(1, 16, 16)).numClasses(2).build());
        Path plain = directory.resolve("plain.zip");
        ModelSerializer.writeModel(unet.graph(), plain.toFile(), false);
        assertThatThrownBy(() -> UNet.load(plain))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("plain.zip").hasMessageContaining(UNetFiles.CONFIG_ENTRY)
                .hasMessageContaining("ModelSerializer.restoreComputationGraph");
    }

    @Test
    void loadingANewerFormatVersionIsRefused() throws IOException {
        Path file = directory.resolve("future.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry(UNetFiles.CONFIG_ENTRY));
            zip.write("{\"formatVersion\": 99, \"config\": {}}".getBytes());
        }
        assertThatThrownBy(() -> UNet.load(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("formatVersion 99").hasMessageContaining("reads formatVersion 1 to 3")
                .hasMessageContaining("newer mdunet");
    }

    @Test
    void loadingAMissingFileNamesIt() {
        assertThatThrownBy(() -> UNet.load(directory.resolve("absent.zip")))
                .isInstanceOf(java.nio.file.NoSuchFileException.class).hasMessageContaining("absent.zip");
    }
}
