package io.github.mdunet.data.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Levels and values of 8- and 16-bit files on the 8-bit scale. */
class SampleDepthTest {

    @Test
    void levelsAreExactOnTheEightBitScaleAndRoundTrip() {
        assertThat(SampleDepth.SIXTEEN_BIT.value(65535)).isEqualTo(255f);
        assertThat(SampleDepth.SIXTEEN_BIT.value(1000)).isEqualTo(1000 / 257f);
        assertThat(SampleDepth.EIGHT_BIT.value(17)).isEqualTo(17f);
        for (int level = 0; level <= 65535; level += 97) {
            assertThat(SampleDepth.SIXTEEN_BIT.level(SampleDepth.SIXTEEN_BIT.value(level))).isEqualTo(level);
        }
    }

    @Test
    void quantizingRoundsToTheNearestLevelAndClamps() {
        assertThat(SampleDepth.EIGHT_BIT.quantized(99.4)).isEqualTo(99f);
        assertThat(SampleDepth.SIXTEEN_BIT.quantized(99.4)).isEqualTo(25_546 / 257f); // 99.4 * 257 = 25545.8
        assertThat(SampleDepth.EIGHT_BIT.quantized(-3)).isZero();
        assertThat(SampleDepth.SIXTEEN_BIT.quantized(300)).isEqualTo(255f);
        assertThat(SampleDepth.SIXTEEN_BIT.level(300)).isEqualTo(65535);
    }
}
