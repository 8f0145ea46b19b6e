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

/** How a U-Net's training images' 16-bit samples were read travels with it: through withGraph, save and load. */
class UNetTrainedSignificantBitsTest {

    @TempDir
    Path directory;

    private static UNet tiny() {
        return UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(1, 2, Normalization.NONE))
                .input(new ImageShape(1, 16, 16)).numClasses(2).build());
    }

    @Test
    void recordedBitsAreSavedAndLoadedAndKeptByTheOtherCopies() throws IOException {
        UNet plain = tiny();
        assertThat(plain.trainedSignificantBits()).isEmpty();
        UNet twelve = plain.withTrainedSignificantBits(12);
        assertThat(twelve.withGraph(twelve.graph()).trainedSignificantBits()).hasValue(12);
        UNet all = twelve.withTrainedFraming(ImageFraming.RESIZE).withTrainedUpscale(1);
        assertThat(all.trainedSignificantBits()).hasValue(12);
        assertThat(all.withTrainedSignificantBits(10).trainedFraming()).contains(ImageFraming.RESIZE);
        assertThat(all.withTrainedSignificantBits(10).trainedUpscale()).hasValue(1);

        Path file = directory.resolve("twelve.zip");
        all.save(file);
        UNet loaded = UNet.load(file);
        assertThat(loaded.trainedSignificantBits()).hasValue(12);
        assertThat(loaded.trainedFraming()).contains(ImageFraming.RESIZE);
        assertThat(loaded.trainedUpscale()).hasValue(1);
        Path unrecorded = directory.resolve("plain.zip");
        plain.save(unrecorded);
        assertThat(UNet.load(unrecorded).trainedSignificantBits()).as("a file without the field, e.g. an older one")
                .isEmpty();
    }

    @Test
    void bitsOutsideOneToSixteenAreRefused() {
        for (int bits : new int[] {0, 17}) {
            assertThatThrownBy(() -> tiny().withTrainedSignificantBits(bits))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("trainedSignificantBits must be 1 to 16 (the bits of a 16-bit sample that hold its"
                            + " value: 16 for 0-65535, 12 for 0-4095) but was " + bits);
        }
    }

    @Test
    void damagedBitsAreRefusedNamingFileFieldAndFix() throws IOException {
        Path file = directory.resolve("edited.zip");
        tiny().withTrainedSignificantBits(12).save(file);
        try (FileSystem zip = FileSystems.newFileSystem(file)) {
            Path entry = zip.getPath(UNetFiles.CONFIG_ENTRY);
            Files.writeString(entry, Files.readString(entry).replace("\"trainedSignificantBits\" : 12",
                    "\"trainedSignificantBits\" : 24"));
        }
        assertThatThrownBy(() -> UNet.load(file)).isInstanceOf(IOException.class)
                .hasMessage(file + ": entry " + UNetFiles.CONFIG_ENTRY + " has \"trainedSignificantBits\": 24 but it"
                        + " must be a whole number 1 to 16; the file was edited or damaged: remove the field, or save"
                        + " the model again");
    }
}
