package io.github.mdunet.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.data.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 16-bit files holding 12-bit values (many microscope cameras) read over the whole 0-255 scale when told so. */
class SignificantBitsTest {

    /** A 12-bit camera's black, a third, two thirds and white; an 8-bit file's 0, 85, 170 and 255. */
    private static final int[] TWELVE_BIT_LEVELS = {0, 1365, 2730, 4095};

    @TempDir
    Path dir;

    @Test
    void twelveBitValuesReadAsTheWholeScaleWithTwelveBitsAndDarkWithSixteen() {
        Path file = TestImages.grey16(dir.resolve("camera.png"), 2, 2, TWELVE_BIT_LEVELS);

        DecodedImage twelve = ImageFiles.readImage(file, 1, 12);
        float[] expected = {0f, 85f, 170f, 255f};
        for (int i = 0; i < expected.length; i++) {
            assertThat(twelve.pixels()[i]).as("pixel %d", i).isCloseTo(expected[i], within(1e-4f));
        }
        assertThat(twelve.depth()).isEqualTo(SampleDepth.sixteenBitFile(12));
        DecodedImage sixteen = ImageFiles.readImage(file, 1);
        assertThat(sixteen.pixels()[3]).as("4095 of 65535: dark").isEqualTo(4095 / 257f);
        assertThat(sixteen.depth()).isEqualTo(SampleDepth.SIXTEEN_BIT);
        DecodedImage rgb = ImageFiles.readImage(file, 3, 12);
        assertThat(rgb.pixels()[2 * 4 + 3]).as("grey replicated, blue of the white pixel").isCloseTo(255f,
                within(1e-4f));
    }

    @Test
    void aColourFileOfTwelveBitValuesConvertsToGreyOnTheWholeScale() {
        Path file = TestImages.rgb16(dir.resolve("colour.tif"), 1, 1, new int[] {4095, 4095, 0});
        assertThat(ImageFiles.readImage(file, 1, 12).pixels()[0]).isCloseTo((float) ((0.299 + 0.587) * 255),
                within(1e-3f));
    }

    @Test
    void aSampleAboveTheBitsIsRefusedNamingFileLargestValueAndTheBitsItNeeds() {
        Path file = TestImages.grey16(dir.resolve("brighter.png"), 2, 1, new int[] {5000, 100});
        assertThatThrownBy(() -> ImageFiles.readImage(file, 1, 12)).isInstanceOf(BadFileException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("16-bit image with 1 samples above 4095 (up to 5000), but 16-bit images are"
                        + " read as 12-bit values (0-4095); its values need 13 bits: set significantBits"
                        + " (--significant-bits) to 13 or more");
        assertThat(ImageFiles.readImage(file, 1, 13).pixels()[0]).isCloseTo(5000 * 255f / 8191, within(1e-3f));
    }

    @Test
    void anEightBitFileIsReadAsItIs() {
        Path file = TestImages.grey(dir.resolve("plain.png"), 2, 1, new int[] {17, 250});
        DecodedImage image = ImageFiles.readImage(file, 1, 12);
        assertThat(image.pixels()).containsExactly(17f, 250f);
        assertThat(image.depth()).isEqualTo(SampleDepth.EIGHT_BIT);
    }

    @Test
    void bitsOutsideOneToSixteenAreRefusedBeforeTheFileIsRead() {
        Path missing = dir.resolve("missing.png");
        assertThatThrownBy(() -> ImageFiles.readImage(missing, 1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("readImage significantBits must be 1 to 16");
    }

    /** An image-to-image output of a 12-bit input is written with the input's levels, 0-4095, and reads back. */
    @Test
    void aPictureAtTwelveBitsHoldsTwelveBitLevelsAndReadsBack() throws IOException {
        Path file = TestImages.grey16(dir.resolve("in.png"), 2, 2, TWELVE_BIT_LEVELS);
        DecodedImage image = ImageFiles.readImage(file, 1, 12);
        Path copy = dir.resolve("out.png");
        Files.createDirectories(copy.getParent());
        ImageIO.write(image.derived(1, 2, 2, new float[] {0f, 85f, 170f, 300f}).toPictureAtDepth(), "png",
                copy.toFile());

        int[] stored = ImageIO.read(copy.toFile()).getRaster().getSamples(0, 0, 2, 2, 0, (int[]) null);
        assertThat(stored).as("levels of the input's depth, clamped").containsExactly(TWELVE_BIT_LEVELS);
        assertThat(ImageFiles.readImage(copy, 1, 12).pixels()).containsExactly(image.pixels());
    }
}
