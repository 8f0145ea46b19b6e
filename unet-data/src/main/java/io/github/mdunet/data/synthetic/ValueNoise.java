package io.github.mdunet.data.synthetic;

/**
 * Lattice value noise from an integer hash: no tables and no shared state, so every texture is a pure function of
 * its seed and coordinates. Values are in [0, 1).
 */
final class ValueNoise {

    private ValueNoise() {
    }

    /** A hash of a lattice point in [0, 1). */
    static double lattice(int seed, int x, int y) {
        int h = seed * 0x2c1b3c6d + x * 0x297a2d39 + y * 0x68e31da4;
        h ^= h >>> 15;
        h *= 0x2c1b3c6d;
        h ^= h >>> 12;
        h *= 0x297a2d39;
        h ^= h >>> 15;
        return (h >>> 8) / (double) (1 << 24);
    }

    /** Smoothly interpolated noise with one lattice cell per unit. */
    static double at(int seed, double x, double y) {
        double floorX = Math.floor(x);
        double floorY = Math.floor(y);
        int x0 = (int) floorX;
        int y0 = (int) floorY;
        double fx = smooth(x - floorX);
        double fy = smooth(y - floorY);
        double top = lerp(lattice(seed, x0, y0), lattice(seed, x0 + 1, y0), fx);
        double bottom = lerp(lattice(seed, x0, y0 + 1), lattice(seed, x0 + 1, y0 + 1), fx);
        return lerp(top, bottom, fy);
    }

    /** Fractal sum of {@code octaves} octaves, each twice the frequency and half the amplitude; in [0, 1). */
    static double fbm(int seed, double x, double y, int octaves) {
        double sum = 0;
        double amplitude = 1;
        double total = 0;
        for (int octave = 0; octave < octaves; octave++) {
            sum += amplitude * at(seed + octave * 1013, x, y);
            total += amplitude;
            amplitude *= 0.5;
            x *= 2;
            y *= 2;
        }
        return sum / total;
    }

    static double smooth(double t) {
        return t * t * (3 - 2 * t);
    }

    static double lerp(double a, double b, double t) {
        return a + (b - a) * t;
    }

    static double clamp01(double v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }

    /** Pushes {@code t} away from 0.5 by {@code gain} and clamps: higher gain, harder texture edges. */
    static double sharpen(double t, double gain) {
        return clamp01(0.5 + (t - 0.5) * gain);
    }
}
