package io.github.mdunet.data.synthetic;

import java.util.SplittableRandom;

/**
 * A procedural grey pattern {@code value(x, y)} in [0, 1] over pixel coordinates. The three object patterns define
 * the object classes of {@link TexturedScenes}; the other three only appear in backgrounds, as distractors with
 * similar frequencies but another structure (no direction, no cell borders, no fine periodic stripes).
 */
sealed interface TexturePattern {

    /** The pattern at pixel coordinates {@code (x, y)}, in [0, 1]. */
    double value(double x, double y);

    /** The object pattern of class id {@code classId} (1 grass, 2 cells, 3 waves) at a random scale and angle. */
    static TexturePattern forClass(int classId, SplittableRandom random) {
        double angle = random.nextDouble() * Math.PI;
        return switch (classId) {
            case 1 -> new Grass(random.nextInt(), StrictMath.cos(angle), StrictMath.sin(angle),
                    1.2 + 1.6 * random.nextDouble(), 5 + 7 * random.nextDouble(), 1.2 * random.nextDouble(),
                    15 + 25 * random.nextDouble());
            case 2 -> new Cells(random.nextInt(), StrictMath.cos(angle), StrictMath.sin(angle),
                    4.5 + 6 * random.nextDouble(), 1 + 0.5 * random.nextDouble(), 0.6 + 0.9 * random.nextDouble());
            case 3 -> {
                double period = 3.5 + 5 * random.nextDouble();
                yield new Waves(StrictMath.cos(angle), StrictMath.sin(angle), period,
                        period * 0.6 * random.nextDouble(), period * (3 + 5 * random.nextDouble()),
                        random.nextDouble() * 2 * Math.PI, 1.2 + 1.5 * random.nextDouble());
            }
            default -> throw new IllegalArgumentException("object class ids are 1..3 but was " + classId);
        };
    }

    /**
     * Fine streaks along one direction (class 1): noise stretched {@code length / width} times along the blades,
     * which bend slowly.
     *
     * @param width       noise scale across the blades, in pixels
     * @param length      noise scale along the blades, in pixels
     * @param bend        sideways bend amplitude, in pixels
     * @param bendLength  wavelength of the bend along the blades, in pixels
     */
    record Grass(int seed, double cos, double sin, double width, double length, double bend, double bendLength)
            implements TexturePattern {
        @Override
        public double value(double x, double y) {
            double along = x * cos + y * sin;
            double across = -x * sin + y * cos + bend * StrictMath.sin(along / bendLength * 2 * Math.PI);
            return ValueNoise.sharpen(ValueNoise.fbm(seed, along / length, across / width, 2), 2.4);
        }
    }

    /**
     * Voronoi cells (class 2): each cell a flat random brightness, with dark borders.
     *
     * @param size    mean cell diameter, in pixels
     * @param border  border half-width, in pixels
     * @param stretch how much the cells are elongated along the angle, >= 1 gives ovals
     */
    record Cells(int seed, double cos, double sin, double size, double border, double stretch)
            implements TexturePattern {
        @Override
        public double value(double x, double y) {
            double u = (x * cos + y * sin) / (size * Math.max(1, stretch));
            double v = (-x * sin + y * cos) / size;
            int cellU = (int) Math.floor(u);
            int cellV = (int) Math.floor(v);
            double nearest = Double.MAX_VALUE;
            double second = Double.MAX_VALUE;
            int nearestU = 0;
            int nearestV = 0;
            for (int dv = -1; dv <= 1; dv++) {
                for (int du = -1; du <= 1; du++) {
                    int cu = cellU + du;
                    int cv = cellV + dv;
                    double pu = cu + 0.1 + 0.8 * ValueNoise.lattice(seed, cu, cv) - u;
                    double pv = cv + 0.1 + 0.8 * ValueNoise.lattice(seed + 1, cu, cv) - v;
                    double d = Math.sqrt(pu * pu + pv * pv);
                    if (d < nearest) {
                        second = nearest;
                        nearest = d;
                        nearestU = cu;
                        nearestV = cv;
                    } else if (d < second) {
                        second = d;
                    }
                }
            }
            double edge = ValueNoise.clamp01((second - nearest) * size / (2 * border));
            return (0.45 + 0.55 * ValueNoise.lattice(seed + 2, nearestU, nearestV)) * ValueNoise.smooth(edge);
        }
    }

    /**
     * Wavy parallel stripes (class 3).
     *
     * @param period     stripe period, in pixels
     * @param amplitude  sideways wave amplitude, in pixels
     * @param wavelength wavelength of the wave along the stripes, in pixels
     * @param gain       contrast gain: higher gives harder stripes
     */
    record Waves(double cos, double sin, double period, double amplitude, double wavelength, double phase,
                 double gain) implements TexturePattern {
        @Override
        public double value(double x, double y) {
            double along = x * cos + y * sin;
            double across = -x * sin + y * cos + amplitude * StrictMath.sin(along / wavelength * 2 * Math.PI);
            return ValueNoise.sharpen(0.5 + 0.5 * StrictMath.sin(across / period * 2 * Math.PI + phase), gain);
        }
    }

    /** Isotropic fine noise at the grass's scale, without its direction (background distractor). */
    record FineNoise(int seed, double scale) implements TexturePattern {
        @Override
        public double value(double x, double y) {
            return ValueNoise.sharpen(ValueNoise.fbm(seed, x / scale, y / scale, 2), 2.4);
        }
    }

    /**
     * Soft irregular spots at the cells' scale, without borders (background distractor). The lattice is turned by
     * 30 degrees so that the spots do not line up with the pixel grid.
     */
    record Blotches(int seed, double scale) implements TexturePattern {
        private static final double COS = 0.8660254037844387;
        private static final double SIN = 0.5;

        @Override
        public double value(double x, double y) {
            double u = (x * COS + y * SIN) / scale;
            double v = (-x * SIN + y * COS) / scale;
            return ValueNoise.sharpen(ValueNoise.fbm(seed, u, v, 2), 2.2);
        }
    }

    /** Broad smooth ripples, two to four times the stripes' period (background distractor). */
    record Ripples(double cos, double sin, double period, double phase) implements TexturePattern {
        @Override
        public double value(double x, double y) {
            return 0.5 + 0.5 * StrictMath.sin((x * cos + y * sin) / period * 2 * Math.PI + phase);
        }
    }
}
