package io.github.mdunet.examples.superres;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.synthetic.SyntheticScenes;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The held-out pictures measure as the printed table does. */
class SuperResolutionPicturesTest {

    @TempDir
    Path directory;

    private static DecodedImage scene(int side) {
        BufferedImage picture = SyntheticScenes.render(side, side, new SplittableRandom(5));
        int plane = side * side;
        float[] pixels = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            int rgb = picture.getRGB(i % side, i / side);
            pixels[i] = (rgb >> 16) & 0xFF;
            pixels[plane + i] = (rgb >> 8) & 0xFF;
            pixels[2 * plane + i] = rgb & 0xFF;
        }
        return DecodedImage.eightBit(3, side, side, pixels);
    }

    @Test
    void captionsShaveTheScalesBorderAsTheTableDoes() throws IOException {
        // 200x200: the grid shows the central 192x192, so a model wrong only in the 4-pixel border (x4) draws the
        // same panels as a perfect one; the captions, shaved as the table is, must be the same too.
        DecodedImage truth = scene(200);
        float[] offBorder = truth.pixels().clone();
        for (int c = 0; c < 3; c++) {
            for (int x = 0; x < 200; x++) {
                offBorder[(c * 200) * 200 + x] = 255 - offBorder[(c * 200) * 200 + x];
            }
        }
        DecodedImage wrongBorder = DecodedImage.eightBit(3, 200, 200, offBorder);
        DecodedImage bicubic = DecodedImage.eightBit(3, 200, 200, truth.pixels().clone());
        Path perfect = directory.resolve("perfect.png");
        Path border = directory.resolve("border.png");
        SuperResolutionPictures.writeGrid(perfect, truth, bicubic, truth, 4);
        SuperResolutionPictures.writeGrid(border, truth, bicubic, wrongBorder, 4);
        assertThat(Arrays.equals(ImageFiles.readImage(border, 3).pixels(), ImageFiles.readImage(perfect, 3).pixels()))
                .as("the same panels and captions (U-Net 100.00 dB)").isTrue();
    }
}
