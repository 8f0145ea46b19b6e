package io.github.mdunet.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.predict.ImageFraming;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scale a super-resolution U-Net was trained at travels with it: through withGraph, save and load. */
class UNetTrainedUpscaleTest {

    @TempDir
    Path directory;

    private static UNet tiny() {
        return UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(1, 2, Normalization.NONE))
                .input(new ImageShape(3, 16, 16)).numClasses(3).head(new HeadActivation.Residual()).build());
    }

    @Test
    void aRecordedUpscaleIsSavedAndLoadedAndKeptByTheOtherCopies() throws IOException {
        UNet plain = tiny();
        assertThat(plain.trainedUpscale()).isEmpty();
        UNet x4 = plain.withTrainedUpscale(4);
        assertThat(x4.withGraph(x4.graph()).trainedUpscale()).hasValue(4);
        UNet both = x4.withTrainedFraming(ImageFraming.TILES);
        assertThat(both.trainedUpscale()).hasValue(4);
        assertThat(both.withTrainedUpscale(2).trainedFraming()).contains(ImageFraming.TILES);

        Path file = directory.resolve("x4.zip");
        both.save(file);
        UNet loaded = UNet.load(file);
        assertThat(loaded.trainedUpscale()).hasValue(4);
        assertThat(loaded.trainedFraming()).contains(ImageFraming.TILES);
        assertThat(UNet.recordedUpscale(file)).as("read without the network").hasValue(4);
        Path unrecorded = directory.resolve("plain.zip");
        plain.save(unrecorded);
        assertThat(UNet.load(unrecorded).trainedUpscale()).as("a file without the field, e.g. an older one")
                .isEmpty();
        assertThat(UNet.recordedUpscale(unrecorded)).isEmpty();
    }

    @Test
    void anUpscaleBelowOneIsRefused() {
        assertThatThrownBy(() -> tiny().withTrainedUpscale(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trainedUpscale must be >= 1 but was 0 (1: the model reads the image itself)");
    }

    @Test
    void aDamagedUpscaleIsRefusedNamingFileFieldAndFix() throws IOException {
        Path file = directory.resolve("edited.zip");
        tiny().withTrainedUpscale(2).save(file);
        try (FileSystem zip = FileSystems.newFileSystem(file)) {
            Path entry = zip.getPath(UNetFiles.CONFIG_ENTRY);
            Files.writeString(entry, Files.readString(entry).replace("\"trainedUpscale\" : 2",
                    "\"trainedUpscale\" : \"two\""));
        }
        List<ThrowingCallable> reads = List.of(() -> UNet.load(file), () -> UNet.recordedUpscale(file));
        for (ThrowingCallable read : reads) {
            assertThatThrownBy(read).isInstanceOf(IOException.class)
                    .hasMessage(file + ": entry " + UNetFiles.CONFIG_ENTRY + " has \"trainedUpscale\": \"two\" but"
                            + " it must be a whole number >= 1; the file was edited or damaged: remove the field, or"
                            + " save the model again");
        }
    }
}
