package io.github.mdunet.data.augment;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * A random perspective warp of each sample, as fastai's {@code Warp} ({@code max_warp} of its
 * {@code aug_transforms}, 0.2 there): two shifts {@code a} and {@code b} drawn uniformly from
 * {@code [-magnitude, magnitude]} move the output window's corners, in coordinates where the window spans -1 to 1,
 * by {@code -(a, b) * u * v} for the corner {@code (u, v)} (the top-left and bottom-right corners one way, the other
 * two the other way), and each output pixel samples the point the projective map from the window to that
 * quadrilateral gives it. Image and mask (or target) are sampled through the same points.
 *
 * @param magnitude the largest corner shift, a share of the window's half side, in {@code [0, 0.5)}; 0 for none
 */
public record PerspectiveWarp(double magnitude) implements Serializable {

    /** No warp. */
    public static final PerspectiveWarp NONE = new PerspectiveWarp(0);

    /**
     * The bound of {@link #magnitude}, itself excluded: the quadrilateral stays convex while {@code 1 - 2m > 0}; at
     * 0.5 three of its corners can fall on one line.
     */
    public static final double MAGNITUDE_BOUND = 0.5;

    public PerspectiveWarp {
        checkMagnitude("PerspectiveWarp.magnitude", magnitude);
    }

    /** Refuses a magnitude outside [0, {@link #MAGNITUDE_BOUND}), naming it as {@code setting}. */
    public static void checkMagnitude(String setting, double magnitude) {
        if (!(magnitude >= 0 && magnitude < MAGNITUDE_BOUND)) {
            throw new IllegalArgumentException(setting + " must be in [0, 0.5) (a share of the window's half side;"
                    + " fastai's max_warp is 0.2) but was " + magnitude);
        }
    }

    /** Whether this warps nothing. */
    public boolean isNone() {
        return magnitude == 0;
    }

    /**
     * Draws the two corner shifts and adds the warp's displacement of an {@code outHeight x outWidth} output to
     * {@code dx} and {@code dy} (row-major, in output pixels).
     */
    public void displace(SplittableRandom random, int outHeight, int outWidth, float[] dx, float[] dy) {
        displace(random, true, true, outHeight, outWidth, dx, dy);
    }

    /**
     * As {@link #displace(SplittableRandom, int, int, float[], float[])} with only the shifts asked for: fastai's
     * {@code Warp} leaves out each of {@code a} ({@code shiftA}) and {@code b} on its own chance, and a shift left
     * out is 0 and not drawn.
     */
    public void displace(SplittableRandom random, boolean shiftA, boolean shiftB, int outHeight, int outWidth,
                         float[] dx, float[] dy) {
        double a = shiftA ? (2 * random.nextDouble() - 1) * magnitude : 0;
        double b = shiftB ? (2 * random.nextDouble() - 1) * magnitude : 0;
        // The corners in the window's unit square (0 to 1 across): a shift of s on the -1..1 scale is s / 2 here.
        Projective map = Projective.squareTo(-a / 2, -b / 2, 1 + a / 2, b / 2, 1 - a / 2, 1 - b / 2, a / 2,
                1 + b / 2);
        for (int y = 0; y < outHeight; y++) {
            double v = (y + 0.5) / outHeight;
            for (int x = 0; x < outWidth; x++) {
                double u = (x + 0.5) / outWidth;
                double w = map.g * u + map.h * v + 1;
                dx[y * outWidth + x] += (float) (((map.a * u + map.b * v + map.c) / w - u) * outWidth);
                dy[y * outWidth + x] += (float) (((map.d * u + map.e * v + map.f) / w - v) * outHeight);
            }
        }
    }

    /**
     * The projective map of the unit square onto a quadrilateral, {@code x = (a u + b v + c) / (g u + h v + 1)},
     * {@code y = (d u + e v + f) / (g u + h v + 1)}, in closed form (Heckbert, "Fundamentals of Texture Mapping and
     * Image Warping", 1989).
     */
    private record Projective(double a, double b, double c, double d, double e, double f, double g, double h) {

        /** The map taking (0,0), (1,0), (1,1), (0,1) to (x0,y0), (x1,y1), (x2,y2), (x3,y3). */
        static Projective squareTo(double x0, double y0, double x1, double y1, double x2, double y2, double x3,
                                   double y3) {
            double sumX = x0 - x1 + x2 - x3;
            double sumY = y0 - y1 + y2 - y3;
            if (sumX == 0 && sumY == 0) {
                return new Projective(x1 - x0, x2 - x1, x0, y1 - y0, y2 - y1, y0, 0, 0);
            }
            double dx1 = x1 - x2;
            double dx2 = x3 - x2;
            double dy1 = y1 - y2;
            double dy2 = y3 - y2;
            double determinant = dx1 * dy2 - dx2 * dy1;
            double g = (sumX * dy2 - dx2 * sumY) / determinant;
            double h = (dx1 * sumY - sumX * dy1) / determinant;
            return new Projective(x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g,
                    h);
        }
    }
}
