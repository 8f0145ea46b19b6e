package io.github.mdunet.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.predict.ImageFraming;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a U-Net saw its training images travels with it: through withGraph, save and load. */
class UNetTrainedFramingTest {

    @TempDir
    Path directory;

    private static UNet tiny() {
        return UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(2, 2, Normalization.BATCH))
                .input(new ImageShape(1, 16, 16)).numClasses(2).build());
    }

    @Test
    void aRecordedFramingIsSavedAndLoadedAndKeptByWithGraph() throws IOException {
        UNet plain = tiny();
        assertThat(plain.trainedFraming()).isEmpty();
        UNet resized = plain.withTrainedFraming(ImageFraming.RESIZE);
        assertThat(resized.withGraph(resized.graph()).trainedFraming()).contains(ImageFraming.RESIZE);

        Path file = directory.resolve("resized.zip");
        resized.save(file);
        assertThat(UNet.load(file).trainedFraming()).contains(ImageFraming.RESIZE);
        Path unrecorded = directory.resolve("plain.zip");
        plain.save(unrecorded);
        assertThat(UNet.load(unrecorded).trainedFraming()).as("a file without the field, e.g. an older one")
                .isEmpty();
    }

    @Test
    void anUnknownFramingIsRefusedNamingFileFieldAndFix() throws IOException {
        Path file = directory.resolve("edited.zip");
        tiny().withTrainedFraming(ImageFraming.TILES).save(file);
        try (FileSystem zip = FileSystems.newFileSystem(file)) {
            Path entry = zip.getPath(UNetFiles.CONFIG_ENTRY);
            Files.writeString(entry, Files.readString(entry).replace("\"TILES\"", "\"STRETCH\""));
        }
        assertThatThrownBy(() -> UNet.load(file)).isInstanceOf(IOException.class)
                .hasMessage(file + ": entry " + UNetFiles.CONFIG_ENTRY + " has \"trainedFraming\": \"STRETCH\" but it"
                        + " must be one of [TILES, RESIZE]; the file was edited or damaged: remove the field, or save"
                        + " the model again");
    }
}
