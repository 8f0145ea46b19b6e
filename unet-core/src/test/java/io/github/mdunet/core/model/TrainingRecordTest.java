package io.github.mdunet.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.predict.ImageFraming;
import io.github.mdunet.core.predict.Mirror;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a trainer records about a U-Net's training inputs (framing, upscale, significant bits) travels with it:
 * through withGraph, save and load; a resume compares and completes it.
 */
class TrainingRecordTest {

    private static final TrainingRecord ALL = TrainingRecord.NONE.withFraming(ImageFraming.RESIZE).withScale(0.75)
            .withMirrors(Set.of(Mirror.TOP_BOTTOM, Mirror.LEFT_RIGHT)).withUpscale(4).withSignificantBits(12);

    @TempDir
    Path directory;

    private static UNet tiny() {
        return UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(1, 2, Normalization.NONE))
                .input(new ImageShape(1, 16, 16)).numClasses(2).build());
    }

    @Test
    void eachFieldIsSavedAndLoadedAndKeptByTheOtherCopies() throws IOException {
        UNet plain = tiny();
        assertThat(plain.trainingRecord()).isEqualTo(TrainingRecord.NONE);
        UNet recorded = plain.withTrainedFraming(ImageFraming.RESIZE).withTrainedUpscale(4)
                .withTrainedSignificantBits(12);
        recorded = recorded.withTrainingRecord(recorded.trainingRecord().withScale(0.75)
                .withMirrors(EnumSet.of(Mirror.LEFT_RIGHT, Mirror.TOP_BOTTOM)));
        assertThat(recorded.trainingRecord()).isEqualTo(ALL);
        assertThat(recorded.withGraph(recorded.graph()).trainingRecord()).isEqualTo(ALL);
        assertThat(recorded.withTrainedUpscale(2).trainingRecord()).as("one field replaced, the others kept")
                .isEqualTo(ALL.withUpscale(2));

        Path file = directory.resolve("recorded.zip");
        recorded.save(file);
        UNet loaded = UNet.load(file);
        assertThat(loaded.trainedFraming()).contains(ImageFraming.RESIZE);
        assertThat(loaded.trainedUpscale()).hasValue(4);
        assertThat(loaded.trainedSignificantBits()).hasValue(12);
        assertThat(loaded.trainingRecord()).isEqualTo(ALL);
        UNet mirrorless = plain.withTrainingRecord(TrainingRecord.NONE.withMirrors(Set.of()));
        Path noMirrors = directory.resolve("no-mirrors.zip");
        mirrorless.save(noMirrors);
        assertThat(UNet.load(noMirrors).trainingRecord().mirrors()).as("none shown, recorded: not absent")
                .contains(Set.of());
        assertThat(UNet.recordedUpscale(file)).as("read without the network").hasValue(4);

        Path unrecorded = directory.resolve("plain.zip");
        plain.save(unrecorded);
        assertThat(UNet.load(unrecorded).trainingRecord()).as("a file without the fields, e.g. an older one")
                .isEqualTo(TrainingRecord.NONE);
        assertThat(UNet.recordedUpscale(unrecorded)).isEmpty();
    }

    @Test
    void valuesOutOfRangeAreRefusedNamingTheField() {
        assertThatThrownBy(() -> tiny().withTrainedUpscale(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trainedUpscale must be >= 1 but was 0 (1: the model reads the image itself)");
        for (int bits : new int[] {0, 17}) {
            assertThatThrownBy(() -> tiny().withTrainedSignificantBits(bits))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("trainedSignificantBits must be 1 to 16 (the bits of a 16-bit sample that hold its"
                            + " value: 16 for 0-65535, 12 for 0-4095) but was " + bits);
        }
        assertThatThrownBy(() -> tiny().withTrainedFraming(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("framing");
        for (double scale : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> TrainingRecord.NONE.withScale(scale)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("trainedScale must be positive and finite but was " + scale + " (1: training crops"
                            + " showed images at their own scale)");
        }
    }

    @Test
    void aDamagedFieldIsRefusedNamingFileFieldAndFix() throws IOException {
        assertRefused(edited("framing.zip", "\"TILES\"", "\"STRETCH\""), "\"trainedFraming\": \"STRETCH\"",
                "one of [TILES, RESIZE]");
        assertRefused(edited("bits.zip", "\"trainedSignificantBits\" : 12", "\"trainedSignificantBits\" : 24"),
                "\"trainedSignificantBits\": 24", "a whole number 1 to 16");
        assertRefused(edited("scale.zip", "\"trainedScale\" : 0.5", "\"trainedScale\" : -0.5"),
                "\"trainedScale\": -0.5", "a positive number");
        assertRefused(edited("mirrors.zip", "\"LEFT_RIGHT\"", "\"UPSIDE_DOWN\""),
                "\"trainedMirrors\": [\"UPSIDE_DOWN\"]", "a list of [LEFT_RIGHT, TOP_BOTTOM, BOTH]");
        Path upscale = edited("upscale.zip", "\"trainedUpscale\" : 2", "\"trainedUpscale\" : \"two\"");
        assertRefused(upscale, "\"trainedUpscale\": \"two\"", "a whole number >= 1");
        assertThatThrownBy(() -> UNet.recordedUpscale(upscale)).as("read without the network")
                .hasMessage(refusal(upscale, "\"trainedUpscale\": \"two\"", "a whole number >= 1"));
    }

    /** {@code UNet.load(file)} refuses it: its entry has {@code field} (as written) where it must hold {@code what}. */
    private static void assertRefused(Path file, String field, String what) {
        assertThatThrownBy(() -> UNet.load(file)).isInstanceOf(IOException.class)
                .hasMessage(refusal(file, field, what));
    }

    /** The refusal of a damaged recorded field. */
    private static String refusal(Path file, String field, String what) {
        return file + ": entry " + UNetFiles.CONFIG_ENTRY + " has " + field + " but it must be " + what + "; the file"
                + " was edited or damaged: remove the field, or save the model again";
    }

    @Test
    void aResumeTakesTheFieldsTheCheckpointLacksAndKeepsItsOwn() {
        TrainingRecord checkpoint = TrainingRecord.NONE.withUpscale(2);
        assertThat(checkpoint.filledFrom(ALL)).isEqualTo(ALL.withUpscale(2));
        assertThat(TrainingRecord.NONE.filledFrom(ALL)).isEqualTo(ALL);
        assertThat(ALL.filledFrom(TrainingRecord.NONE)).isEqualTo(ALL);
    }

    @Test
    void changesNameEachFieldRecordedOtherwiseAndIgnoreFieldsEitherLacks() {
        TrainingRecord now = TrainingRecord.NONE.withFraming(ImageFraming.TILES).withScale(0.5)
                .withMirrors(Set.of(Mirror.LEFT_RIGHT)).withUpscale(2).withSignificantBits(10);
        assertThat(ALL.changesTo(now)).containsExactly(
                "trained framing (UNet.trainedFraming): RESIZE in the checkpoint, TILES now",
                "trained scale (TrainingRecord.scale): 0.75 in the checkpoint, 0.5 now",
                "trained mirror images (TrainingRecord.mirrors): [LEFT_RIGHT, TOP_BOTTOM] in the checkpoint,"
                        + " [LEFT_RIGHT] now",
                "trained upscale (UNet.trainedUpscale): x4 in the checkpoint, x2 now",
                "trained significant bits (UNet.trainedSignificantBits): 12 in the checkpoint, 10 now");
        assertThat(ALL.changesTo(ALL)).isEmpty();
        assertThat(ALL.changesTo(TrainingRecord.NONE)).isEmpty();
        assertThat(TrainingRecord.NONE.changesTo(now)).isEmpty();
    }

    /**
     * A saved tiny U-Net recording framing TILES, scale 0.5, the left-right mirror, upscale 2 and 12 bits, its entry
     * edited from {@code from}.
     */
    private Path edited(String name, String from, String to) throws IOException {
        Path file = directory.resolve(name);
        tiny().withTrainingRecord(TrainingRecord.NONE.withFraming(ImageFraming.TILES).withScale(0.5)
                .withMirrors(Set.of(Mirror.LEFT_RIGHT)).withUpscale(2).withSignificantBits(12)).save(file);
        try (FileSystem zip = FileSystems.newFileSystem(file)) {
            Path entry = zip.getPath(UNetFiles.CONFIG_ENTRY);
            String json = Files.readString(entry);
            assertThat(json).contains(from);
            Files.writeString(entry, json.replace(from, to));
        }
        return file;
    }
}
