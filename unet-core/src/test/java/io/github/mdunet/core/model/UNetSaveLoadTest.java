package io.github.mdunet.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.DecoderLayout;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.Loss;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.files.AtomicFiles;
import io.github.mdunet.core.files.Durability;
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
                .decoderLayout(DecoderLayout.FORMATS_1_TO_5)
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

    /** The configuration's loss and the graph's loss function, with their non-default settings. */
    @Test
    void aTverskyLossSurvivesTheFile() throws IOException {
        UNet unet = UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(1, 2, Normalization.BATCH))
                .input(new ImageShape(1, 16, 16)).numClasses(3)
                .loss(new Loss.Tversky(0.2, 0.9, List.of(0.5, 1.0, 2.0))).build());
        Path file = directory.resolve("tversky.zip");
        unet.save(file);

        UNet loaded = UNet.load(file);
        assertThat(loaded.config().loss()).isEqualTo(new Loss.Tversky(0.2, 0.9, List.of(0.5, 1.0, 2.0)));
        assertThat(loaded.graph().getConfiguration()).isEqualTo(unet.graph().getConfiguration());
    }

    @Test
    void aLovaszLossSurvivesTheFile() throws IOException {
        Loss lovasz = new Loss.Lovasz(List.of(0.5, 1.0, 2.0));
        UNet unet = UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(1, 2, Normalization.BATCH))
                .input(new ImageShape(1, 16, 16)).numClasses(3).loss(lovasz).build());
        Path file = directory.resolve("lovasz.zip");
        unet.save(file);

        UNet loaded = UNet.load(file);
        assertThat(loaded.config().loss()).isEqualTo(lovasz);
        assertThat(loaded.graph().getConfiguration()).isEqualTo(unet.graph().getConfiguration());
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
                .hasMessageContaining("formatVersion 99")
                .hasMessageContaining("reads formatVersion 1 to " + UNetFiles.FORMAT_VERSION)
                .hasMessageContaining("newer mdunet");
    }

    @Test
    void loadingAMissingFileNamesIt() {
        assertThatThrownBy(() -> UNet.load(directory.resolve("absent.zip")))
                .isInstanceOf(java.nio.file.NoSuchFileException.class).hasMessageContaining("absent.zip");
    }

    private static UNet tiny() {
        return UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(1, 2, Normalization.BATCH))
                .input(new ImageShape(1, 16, 16)).numClasses(2).build());
    }

    /** A save that a power loss cannot turn into an empty file: synced before the rename, the directory after. */
    @Test
    void saveSyncsTheModelBeforeItsRenameAndTheDirectoryAfter() throws IOException {
        Path file = directory.resolve("unet.zip");
        List<String> events = new java.util.ArrayList<>();
        Durability recorder = new Durability() {
            @Override
            public void syncFile(Path synced) throws IOException {
                assertThat(file).as("the target while its content is synced").doesNotExist();
                try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(synced.toFile())) {
                    assertThat(zip.getEntry(UNetFiles.CONFIG_ENTRY)).as("the complete model").isNotNull();
                }
                events.add("sync file " + synced.getFileName());
            }

            @Override
            public void syncDirectory(Path synced) {
                assertThat(file).as("the target when its directory is synced").exists();
                events.add("sync directory " + synced);
            }
        };
        UNetFiles.save(tiny(), file, true, new AtomicFiles(recorder));
        assertThat(events).containsExactly("sync file unet.zip", "sync directory " + directory.toAbsolutePath());
        assertThat(UNet.load(file).config()).isEqualTo(tiny().config());
        try (var files = Files.list(directory)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aFileThatIsNotAZipNamesTheFileAndTheProblem() throws IOException {
        Path text = Files.writeString(directory.resolve("notes.zip"), "these are my notes, not a model");
        assertThatThrownBy(() -> UNet.load(text)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(text + ": not a U-Net model file: not a zip archive (31 bytes")
                .hasMessageContaining("Expected a zip written by UNet.save");
        Path empty = Files.write(directory.resolve("empty.zip"), new byte[0]);
        assertThatThrownBy(() -> UNet.load(empty)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(empty + ": not a U-Net model file: the file is empty");
    }

    @Test
    void aTruncatedModelFileNamesTheFileAndSaysTruncated() throws IOException {
        Path file = directory.resolve("unet.zip");
        tiny().save(file);
        byte[] bytes = Files.readAllBytes(file);
        Path cut = Files.write(directory.resolve("cut.zip"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> UNet.load(cut)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(cut + ": not a U-Net model file: a zip archive whose end is missing:"
                        + " truncated");
    }

    @Test
    void aModelWhoseNetworkEntriesAreDamagedNamesTheFile() throws IOException {
        Path noNetwork = savedAndEdited("no-network.zip", zip -> Files.delete(zip.getPath("configuration.json")));
        assertThatThrownBy(() -> UNet.load(noNetwork)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(noNetwork + ": the network in this U-Net model file cannot be restored")
                .hasMessageContaining("gotConfig: [false]");
        Path shortWeights = savedAndEdited("short-weights.zip", zip -> {
            byte[] weights = Files.readAllBytes(zip.getPath("coefficients.bin"));
            Files.write(zip.getPath("coefficients.bin"), java.util.Arrays.copyOf(weights, 100));
        });
        assertThatThrownBy(() -> UNet.load(shortWeights)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(shortWeights + ": the network in this U-Net model file cannot be restored"
                        + " (EOFException); the file is damaged or truncated");
    }

    /** A format-1 file whose configuration lacks a field, or holds none: the field is named, never a bare null. */
    @Test
    void aConfigurationEntryWithoutItsConfigurationNamesWhatIsMissing() throws IOException {
        Path fixture = Path.of("src/test/resources/fixtures/unet-format1.zip");
        Path noDataType = withConfigEntry(fixture, "no-data-type.zip",
                configOf(fixture).replaceAll("\"dataType\"\\s*:\\s*\"FLOAT\",?", ""));
        assertThatThrownBy(() -> UNet.load(noDataType)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(noDataType + ": entry " + UNetFiles.CONFIG_ENTRY + " (formatVersion 1) holds no"
                        + " valid U-Net configuration: dataType must be one of FLOAT, DOUBLE, HALF but was null");
        // seed 0 is a seed like any other, so a missing one must not load as 0
        Path noSeed = withConfigEntry(fixture, "no-seed.zip",
                configOf(fixture).replaceAll("\"seed\"\\s*:\\s*3,?", ""));
        assertThatThrownBy(() -> UNet.load(noSeed)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(noSeed + ": entry " + UNetFiles.CONFIG_ENTRY + " (formatVersion 1) holds no"
                        + " valid U-Net configuration: Missing required creator property 'seed'");
        Path noConfig = withConfigEntry(fixture, "no-config.zip", "{\"formatVersion\": 1}");
        assertThatThrownBy(() -> UNet.load(noConfig)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(noConfig + ": entry " + UNetFiles.CONFIG_ENTRY + " has no \"config\" object");
        Path empty = withConfigEntry(fixture, "empty-config.zip", "");
        assertThatThrownBy(() -> UNet.load(empty)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(empty + ": entry " + UNetFiles.CONFIG_ENTRY + " has no formatVersion (it holds"
                        + " nothing)");
    }

    private static String configOf(Path model) throws IOException {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(model.toFile())) {
            return new String(zip.getInputStream(zip.getEntry(UNetFiles.CONFIG_ENTRY)).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private Path withConfigEntry(Path model, String name, String json) throws IOException {
        return edited(Files.copy(model, directory.resolve(name)),
                zip -> Files.writeString(zip.getPath(UNetFiles.CONFIG_ENTRY), json));
    }

    /** A change to the entries of a model file, opened as a zip file system. */
    @FunctionalInterface
    private interface ZipEdit {
        void apply(java.nio.file.FileSystem zip) throws IOException;
    }

    /** {@link #tiny()} saved as {@code name}, then changed by {@code edit}. */
    private Path savedAndEdited(String name, ZipEdit edit) throws IOException {
        Path file = directory.resolve(name);
        tiny().save(file);
        return edited(file, edit);
    }

    private static Path edited(Path model, ZipEdit edit) throws IOException {
        try (java.nio.file.FileSystem zip = java.nio.file.FileSystems.newFileSystem(model)) {
            edit.apply(zip);
        }
        return model;
    }
}
