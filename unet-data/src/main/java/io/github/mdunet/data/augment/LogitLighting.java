package io.github.mdunet.data.augment;

/**
 * fastai's brightness and contrast of one draw, as a map of 0-255 values: {@code 255 * sigmoid((logit(v / 255) +
 * log(odds)) * scale)}, the value clamped to {@code [1e-7, 1 - 1e-7]} of 255 first, as fastai's {@code logit}. Values
 * from 1 to 254 interpolate a table of the map at every sixteenth of a level (within 0.01 of a level of the map, 0.001
 * for fastai's 0.2; a seventh of the time of computing each value); values nearer black or white, where the map is
 * steepest, are computed, and so is every value of a contrast scale above {@value #MAX_TABLE_SCALE} (a contrast
 * amount above 0.875), whose map is too steep for the table's step.
 */
final class LogitLighting {

    private static final int STEPS_PER_LEVEL = 16;
    private static final float FIRST = 1;
    private static final float LAST = 254;
    /** The largest contrast scale the table serves; the interpolation error grows with the scale's square. */
    static final float MAX_TABLE_SCALE = 8;

    private final float odds;
    private final float scale;
    private final float[] table;

    private LogitLighting(float odds, float scale) {
        this.odds = odds;
        this.scale = scale;
        this.table = scale > MAX_TABLE_SCALE ? null : new float[(int) ((LAST - FIRST) * STEPS_PER_LEVEL) + 1];
        for (int k = 0; table != null && k < table.length; k++) {
            table[k] = exact(FIRST + k / (float) STEPS_PER_LEVEL, odds, scale);
        }
    }

    /** The map of a brightness odds factor {@code odds} and a contrast factor {@code scale} (1 and 1: none). */
    static LogitLighting of(float odds, float scale) {
        return new LogitLighting(odds, scale);
    }

    /** The lit value of a 0-255 value. */
    float apply(float value) {
        if (table == null || !(value >= FIRST && value < LAST)) {
            return exact(value, odds, scale);
        }
        float position = (value - FIRST) * STEPS_PER_LEVEL;
        int k = (int) position;
        float t = position - k;
        return table[k] + t * (table[k + 1] - table[k]);
    }

    /** The map computed: {@code 255 / (1 + ((1 - x) / (odds * x))^scale)} for {@code x = v / 255} clamped. */
    static float exact(float value, float odds, float scale) {
        double x = Math.min(Math.max(value / 255.0, 1e-7), 1 - 1e-7);
        return (float) (255 / (1 + Math.pow((1 - x) / (odds * x), scale)));
    }
}
