package io.github.mdunet.data.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LogitLightingTest {

    /** The largest distance, in levels, of the tabulated map from the computed one over 0-255 in steps of 0.01. */
    private static double largestError(float odds, float scale) {
        LogitLighting map = LogitLighting.of(odds, scale);
        double largest = 0;
        for (int i = 0; i <= 25500; i++) {
            float value = i / 100f;
            largest = Math.max(largest, Math.abs(map.apply(value) - LogitLighting.exact(value, odds, scale)));
        }
        return largest;
    }

    /**
     * The table keeps to the computed map: within 0.001 of a level at the ends of fastai's 0.2 ranges, within 0.01 at
     * those of a jitter of 0.875 (the steepest contrast the table serves); a steeper contrast and values past 0-255
     * (from resampling's rounding) are computed, not read off the table.
     */
    @Test
    void theTableKeepsToTheMap() {
        float[] fastaiOdds = {0.4f / 0.6f, 1, 0.6f / 0.4f};
        float[] fastaiScales = {0.8f, 1, 1.25f};
        for (float odds : fastaiOdds) {
            for (float scale : fastaiScales) {
                assertThat(largestError(odds, scale)).as("odds %s, scale %s", odds, scale).isLessThan(1e-3);
            }
        }
        float[] strongOdds = {0.05f / 0.95f, 0.95f / 0.05f};
        float[] strongScales = {0.1f, LogitLighting.MAX_TABLE_SCALE};
        for (float odds : strongOdds) {
            for (float scale : strongScales) {
                assertThat(largestError(odds, scale)).as("odds %s, scale %s", odds, scale).isLessThan(1e-2);
            }
        }
        assertThat(largestError(1, 100)).as("a contrast of 0.99 at its end: every value computed").isZero();
        LogitLighting map = LogitLighting.of(1.5f, 1.25f);
        assertThat(map.apply(-0.5f)).isEqualTo(LogitLighting.exact(-0.5f, 1.5f, 1.25f));
        assertThat(map.apply(255.5f)).isCloseTo(255f, within(1e-3f));
        assertThat(LogitLighting.of(1, 1).apply(77.3f)).isCloseTo(77.3f, within(1e-3f));
    }
}
