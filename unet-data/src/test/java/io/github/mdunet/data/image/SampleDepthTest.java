package io.github.mdunet.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Levels and values of 8- and 16-bit files, and of 16-bit files holding fewer bits, on the 8-bit scale. */
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

    /** A 12-bit camera's 0-4095 spans the 8-bit scale as 0-65535 does; every level turns back into itself. */
    @Test
    void twelveSignificantBitsSpanTheScaleAndRoundTrip() {
        SampleDepth twelve = SampleDepth.sixteenBitFile(12);
        assertThat(twelve.maxLevel()).isEqualTo(4095);
        assertThat(twelve.value(4095)).isEqualTo(255f);
        assertThat(twelve.value(2730)).isEqualTo(170f); // 2/3 of the range
        assertThat(twelve.value(1)).isEqualTo((float) (255.0 / 4095));
        for (int level = 0; level <= 4095; level++) {
            assertThat(twelve.level(twelve.value(level))).isEqualTo(level);
        }
        assertThat(twelve.quantized(100.0)).isEqualTo(twelve.value(1606)); // 100 * 4095 / 255 = 1605.9
        assertThat(twelve.level(300)).isEqualTo(4095);
        assertThat(SampleDepth.sixteenBitFile(16)).isEqualTo(SampleDepth.SIXTEEN_BIT);
        assertThat(twelve).hasToString("12 bits in 16-bit samples");
        assertThat(SampleDepth.SIXTEEN_BIT).hasToString("16-bit");
    }

    @Test
    void bitsOutsideTheirSamplesAreRefused() {
        assertThatThrownBy(() -> SampleDepth.sixteenBitFile(17)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SampleDepth.bits must be 1 to 16 (the bits of a 16-bit sample that hold its value: 16"
                        + " for 0-65535, 12 for 0-4095) but was 17");
        assertThatThrownBy(() -> SampleDepth.sixteenBitFile(0)).hasMessageContaining("but was 0");
        assertThatThrownBy(() -> new SampleDepth(SampleDepth.Container.EIGHT_BIT, 12))
                .hasMessage("SampleDepth.bits of 8-bit samples must be 8 but was 12");
    }
}
