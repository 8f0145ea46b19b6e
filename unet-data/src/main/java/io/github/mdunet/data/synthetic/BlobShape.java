package io.github.mdunet.data.synthetic;

import java.util.SplittableRandom;

/**
 * A star-shaped outline around a centre: a smooth blob (a few low harmonics of the radius) or a polygon of 5 to 9
 * corners, held as the radius at {@value #ANGLES} angles. {@link #contains} is the hard test the class-id mask uses;
 * {@link #coverage} is the anti-aliased area fraction the image uses.
 */
final class BlobShape {

    private static final int ANGLES = 512;
    /** Pixels whose centre is farther than this from the outline (radially) are fully in or out. */
    private static final double EDGE_BAND = 2.0;
    private static final int SUBSAMPLES = 4;

    private final double centerX;
    private final double centerY;
    private final double[] radii;
    private final double maxRadius;

    private BlobShape(double centerX, double centerY, double[] radii) {
        this.centerX = centerX;
        this.centerY = centerY;
        this.radii = radii;
        double max = 0;
        for (double r : radii) {
            max = Math.max(max, r);
        }
        this.maxRadius = max;
    }

    /** A random blob or polygon of mean radius {@code radius} around {@code (centerX, centerY)}. */
    static BlobShape random(double centerX, double centerY, double radius, SplittableRandom random) {
        return random.nextBoolean() ? smoothBlob(centerX, centerY, radius, random)
                : polygon(centerX, centerY, radius, random);
    }

    private static BlobShape smoothBlob(double centerX, double centerY, double radius, SplittableRandom random) {
        double[] amplitudes = new double[6];
        double[] phases = new double[6];
        for (int k = 2; k < amplitudes.length; k++) {
            amplitudes[k] = (k == 2 ? 0.35 : 0.22 / (k - 1)) * random.nextDouble();
            phases[k] = random.nextDouble() * 2 * Math.PI;
        }
        double[] radii = new double[ANGLES];
        for (int a = 0; a < ANGLES; a++) {
            double angle = angleOf(a);
            double r = 1;
            for (int k = 2; k < amplitudes.length; k++) {
                r += amplitudes[k] * StrictMath.sin(k * angle + phases[k]);
            }
            radii[a] = radius * Math.max(0.3, r);
        }
        return new BlobShape(centerX, centerY, radii);
    }

    private static BlobShape polygon(double centerX, double centerY, double radius, SplittableRandom random) {
        int corners = 5 + random.nextInt(5);
        double start = random.nextDouble() * 2 * Math.PI;
        double[] xs = new double[corners];
        double[] ys = new double[corners];
        double[] angles = new double[corners];
        for (int k = 0; k < corners; k++) {
            angles[k] = start + (k + 0.35 * (random.nextDouble() - 0.5)) * 2 * Math.PI / corners;
            double r = radius * (0.7 + 0.55 * random.nextDouble());
            xs[k] = r * StrictMath.cos(angles[k]);
            ys[k] = r * StrictMath.sin(angles[k]);
        }
        double[] radii = new double[ANGLES];
        for (int a = 0; a < ANGLES; a++) {
            double angle = angleOf(a);
            double dx = StrictMath.cos(angle);
            double dy = StrictMath.sin(angle);
            double best = Double.MAX_VALUE;
            for (int k = 0; k < corners; k++) {
                int next = (k + 1) % corners;
                double ex = xs[next] - xs[k];
                double ey = ys[next] - ys[k];
                double denominator = dx * ey - dy * ex;
                if (Math.abs(denominator) < 1e-12) {
                    continue;
                }
                double t = (xs[k] * ey - ys[k] * ex) / denominator;
                double s = (xs[k] * dy - ys[k] * dx) / denominator;
                if (t > 0 && s >= -1e-9 && s <= 1 + 1e-9) {
                    best = Math.min(best, t);
                }
            }
            radii[a] = best == Double.MAX_VALUE ? radius : best;
        }
        return new BlobShape(centerX, centerY, radii);
    }

    private static double angleOf(int index) {
        return -Math.PI + index * 2 * Math.PI / ANGLES;
    }

    /** How far {@code (x, y)} lies inside the outline along the ray from the centre, in pixels (negative outside). */
    double depth(double x, double y) {
        double dx = x - centerX;
        double dy = y - centerY;
        double distance = Math.sqrt(dx * dx + dy * dy);
        double position = (StrictMath.atan2(dy, dx) + Math.PI) / (2 * Math.PI) * ANGLES;
        int index = (int) position;
        double fraction = position - index;
        double radius = ValueNoise.lerp(radii[index % ANGLES], radii[(index + 1) % ANGLES], fraction);
        return radius - distance;
    }

    /** Whether the point {@code (x, y)} is inside: the hard test of the class-id mask. */
    boolean contains(double x, double y) {
        return depth(x, y) >= 0;
    }

    /** The fraction of pixel {@code (px, py)}, the square {@code [px, px+1) x [py, py+1)}, inside (4 x 4 samples). */
    double coverage(int px, int py) {
        double depth = depth(px + 0.5, py + 0.5);
        if (depth > EDGE_BAND) {
            return 1;
        }
        if (depth < -EDGE_BAND) {
            return 0;
        }
        int inside = 0;
        for (int sy = 0; sy < SUBSAMPLES; sy++) {
            for (int sx = 0; sx < SUBSAMPLES; sx++) {
                if (contains(px + (sx + 0.5) / SUBSAMPLES, py + (sy + 0.5) / SUBSAMPLES)) {
                    inside++;
                }
            }
        }
        return inside / (double) (SUBSAMPLES * SUBSAMPLES);
    }

    /** The first column that can be inside, clipped to the image. */
    int minX() {
        return Math.max(0, (int) Math.floor(centerX - maxRadius) - 1);
    }

    /** One past the last column that can be inside, clipped to {@code width}. */
    int maxX(int width) {
        return Math.min(width, (int) Math.ceil(centerX + maxRadius) + 1);
    }

    int minY() {
        return Math.max(0, (int) Math.floor(centerY - maxRadius) - 1);
    }

    int maxY(int height) {
        return Math.min(height, (int) Math.ceil(centerY + maxRadius) + 1);
    }

    double centerX() {
        return centerX;
    }

    double centerY() {
        return centerY;
    }

    double meanRadius() {
        double sum = 0;
        for (double r : radii) {
            sum += r;
        }
        return sum / ANGLES;
    }
}
