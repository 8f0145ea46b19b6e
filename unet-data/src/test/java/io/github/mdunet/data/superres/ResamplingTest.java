package io.github.mdunet.data.superres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.SampleDepth;
import org.junit.jupiter.api.Test;

/** Area downscaling, bicubic interpolation and the degradation against hand-computed values. */
class ResamplingTest {

    private static DecodedImage grey(int height, int width, float... values) {
        return DecodedImage.eightBit(1, height, width, values);
    }

    @Test
    void areaDownscalingAveragesBlocks() {
        DecodedImage image = grey(2, 4, 0, 1, 10, 20, 2, 3, 30, 41);
        assertThat(Resampling.areaDownscale(image, 2, false).pixels()).containsExactly(1.5f, 25.25f);
        assertThat(Resampling.areaDownscale(image, 2, true).pixels()).containsExactly(2f, 25f);
        assertThatThrownBy(() -> Resampling.areaDownscale(image, 3, false))
                .hasMessageContaining("area downscaling by 3 needs a height and width divisible by it but the image is"
                        + " 4x2");
    }

    /** A 16-bit image's means are rounded to its own levels, 1/257 apart, not to whole 8-bit values. */
    @Test
    void areaDownscalingRoundsToTheSourcesLevels() {
        float[] levels = {1000 / 257f, 1001 / 257f, 1001 / 257f, 1001 / 257f};
        DecodedImage deep = new DecodedImage(1, 2, 2, levels, SampleDepth.SIXTEEN_BIT);
        DecodedImage low = Resampling.areaDownscale(deep, 2, true);
        assertThat(low.pixels()).containsExactly(1001 / 257f);
        assertThat(low.depth()).isEqualTo(SampleDepth.SIXTEEN_BIT);
        assertThat(Resampling.areaDownscale(DecodedImage.eightBit(1, 2, 2, levels.clone()), 2, true).pixels())
                .as("the same values from an 8-bit file").containsExactly(4f);
    }

    @Test
    void keysKernelAtTheHalfAndWholePositions() {
        assertThat(Resampling.cubic(0)).isEqualTo(1.0);
        assertThat(Resampling.cubic(1)).isEqualTo(0.0);
        assertThat(Resampling.cubic(2)).isEqualTo(0.0);
        // a = -0.5: 1.5 d^3 - 2.5 d^2 + 1 at 0.5; -0.5 d^3 + 2.5 d^2 - 4 d + 2 at 1.5
        assertThat(Resampling.cubic(0.5)).isCloseTo(0.5625, within(1e-15));
        assertThat(Resampling.cubic(-1.5)).isCloseTo(-0.0625, within(1e-15));
        assertThat(Resampling.cubic(0.25)).isCloseTo(1.5 / 64 - 2.5 / 16 + 1, within(1e-15));
    }

    @Test
    void bicubicUpscalingByTwo() {
        // A row 0, 40, ..., 280: target x sits at source position (x + 0.5) / 2 - 0.5
        DecodedImage row = grey(1, 8, 0, 40, 80, 120, 160, 200, 240, 280);
        float[] up = Resampling.bicubic(row, 1, 16).pixels();
        // where all four taps are inside, the cubic reproduces the straight line: 40 * position
        for (int x = 3; x <= 12; x++) {
            assertThat(up[x]).as("x = %d", x).isCloseTo(40f * ((x + 0.5f) / 2 - 0.5f), within(1e-3f));
        }
        // near the left edge the missing pixel is replaced by the edge's: position 0.75 has taps -1, 0, 1, 2 with
        // values 0, 0, 40, 80 and weights K(1.75), K(0.75), K(0.25), K(1.25)
        assertThat(up[2]).isCloseTo((float) (40 * Resampling.cubic(0.25) + 80 * Resampling.cubic(1.25)),
                within(1e-4f)).isCloseTo(29.0625f, within(1e-4f));
        DecodedImage flat = grey(3, 3, 7, 7, 7, 7, 7, 7, 7, 7, 7);
        for (float value : Resampling.bicubic(flat, 7, 5).pixels()) {
            assertThat(value).isCloseTo(7f, within(1e-5f));
        }
        float[] clamped = Resampling.bicubic(grey(1, 4, 0, 255, 0, 255), 1, 8).pixels();
        for (float value : clamped) {
            assertThat(value).isBetween(0f, 255f);
        }
    }

    @Test
    void theDegradationKeepsTheSizeAndAConstantImage() {
        Degradation x4 = new Degradation(4);
        float[] values = new float[3 * 10 * 13];
        java.util.Arrays.fill(values, 99.4f);
        DecodedImage image = x4.cropToMultiple(DecodedImage.eightBit(3, 10, 13, values));
        assertThat(image.height()).isEqualTo(8);
        assertThat(image.width()).isEqualTo(12);
        assertThat(x4.lowResolution(image).height()).isEqualTo(2);
        DecodedImage input = x4.input(image);
        assertThat(input.height()).isEqualTo(8);
        assertThat(input.width()).isEqualTo(12);
        for (float value : input.pixels()) {
            assertThat(value).as("rounded like an 8-bit file").isCloseTo(99f, within(1e-4f));
        }
        assertThatThrownBy(() -> new Degradation(1)).hasMessageContaining("Degradation.scale must be in [2, 8]");
    }

    /**
     * A 16-bit photograph's inputs keep its levels: a constant image between two 8-bit values stays itself, and the
     * input is of the target's depth all the way through (crop, downscale, upscale).
     */
    @Test
    void theDegradationOfASixteenBitImageKeepsItsLevels() {
        Degradation x2 = new Degradation(2);
        float[] values = new float[3 * 6 * 6];
        java.util.Arrays.fill(values, 25_500 / 257f); // 99.22: between 99 and 100
        DecodedImage image = x2.cropToMultiple(new DecodedImage(3, 6, 6, values, SampleDepth.SIXTEEN_BIT));
        DecodedImage input = x2.input(image);
        assertThat(input.depth()).isEqualTo(SampleDepth.SIXTEEN_BIT);
        for (float value : input.pixels()) {
            assertThat(value).isCloseTo(25_500 / 257f, within(1e-4f));
        }
    }

    @Test
    void flipsAndTransposeAreTheSquaresSymmetries() {
        DecodedImage image = grey(2, 2, 1, 2, 3, 4);
        assertThat(SuperResolutionSource.flipped(image, true, false, false).pixels()).containsExactly(2, 1, 4, 3);
        assertThat(SuperResolutionSource.flipped(image, false, true, false).pixels()).containsExactly(3, 4, 1, 2);
        assertThat(SuperResolutionSource.flipped(image, false, false, true).pixels()).containsExactly(1, 3, 2, 4);
    }
}
