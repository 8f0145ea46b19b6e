package io.github.mdunet.data.augment;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * A random elastic deformation of each sample, as MONAI's {@code Rand2DElastic} and the {@code elasticdeform} package
 * make it: random offsets at control points {@code spacing} output pixels apart, interpolated between them with
 * cubic B-splines into a smooth displacement of every output pixel. Image and mask (or target) are sampled through
 * the same displaced points, so they stay aligned; masks stay nearest-neighbour.
 *
 * @param magnitude the standard deviation of each control point's offset along x and along y, in output pixels;
 *                  0 for none. The B-splines smooth the offsets, so pixels move by about 0.48 of it (root mean
 *                  square per axis: the square root of the cubic B-spline's mean squared weight, 151/315, per axis)
 * @param spacing   the distance between control points in output pixels, 4 or more: the deformation's scale
 */
public record ElasticDeformation(double magnitude, int spacing) implements Serializable {

    /** The spacing when none is given: about a tenth of a 256-pixel input, as MONAI's examples space theirs. */
    public static final int DEFAULT_SPACING = 32;

    /** No deformation. */
    public static final ElasticDeformation NONE = new ElasticDeformation(0, DEFAULT_SPACING);

    public ElasticDeformation {
        checkMagnitude("ElasticDeformation.magnitude", magnitude);
        checkSpacing("ElasticDeformation.spacing", spacing);
    }

    /** Refuses a magnitude that is not a finite number >= 0, naming it as {@code setting}. */
    public static void checkMagnitude(String setting, double magnitude) {
        if (!(magnitude >= 0) || !Double.isFinite(magnitude)) {
            throw new IllegalArgumentException(setting + " must be a finite number >= 0 (pixels) but was " + magnitude);
        }
    }

    /** Refuses a control-point spacing below 4 pixels, naming it as {@code setting}. */
    public static void checkSpacing(String setting, int spacing) {
        if (spacing < 4) {
            throw new IllegalArgumentException(setting + " must be >= 4 pixels but was " + spacing);
        }
    }

    /** Whether this deforms nothing. */
    public boolean isNone() {
        return magnitude == 0;
    }

    /**
     * Draws a displacement of an {@code outHeight x outWidth} output and adds it to {@code dx} and {@code dy}
     * (row-major): normal offsets of standard deviation {@link #magnitude} on a control grid {@link #spacing} pixels
     * apart (one more point before the first pixel and two after the last, as the cubic B-spline needs), evaluated at
     * each pixel centre.
     */
    public void displace(SplittableRandom random, int outHeight, int outWidth, float[] dx, float[] dy) {
        int gridWidth = outWidth / spacing + 4;
        int gridHeight = outHeight / spacing + 4;
        double[] controlX = new double[gridHeight * gridWidth];
        double[] controlY = new double[gridHeight * gridWidth];
        for (int i = 0; i < controlX.length; i++) {
            controlX[i] = random.nextGaussian() * magnitude;
            controlY[i] = random.nextGaussian() * magnitude;
        }
        double[][] columnWeights = splineWeights(outWidth, spacing);
        double[][] rowWeights = splineWeights(outHeight, spacing);
        for (int y = 0; y < outHeight; y++) {
            int row = (int) ((y + 0.5) / spacing);
            for (int x = 0; x < outWidth; x++) {
                int column = (int) ((x + 0.5) / spacing);
                double sumX = 0;
                double sumY = 0;
                for (int j = 0; j < 4; j++) {
                    int base = (row + j) * gridWidth + column;
                    double rowWeight = rowWeights[y][j];
                    for (int i = 0; i < 4; i++) {
                        double weight = rowWeight * columnWeights[x][i];
                        sumX += weight * controlX[base + i];
                        sumY += weight * controlY[base + i];
                    }
                }
                dx[y * outWidth + x] += (float) sumX;
                dy[y * outWidth + x] += (float) sumY;
            }
        }
    }

    /**
     * The uniform cubic B-spline's four weights of each pixel centre along a side of {@code size} pixels, for the
     * control points {@code k-1 .. k+2} around its cell {@code k} (stored from index {@code k}, the grid holding one
     * point before the first cell).
     */
    private static double[][] splineWeights(int size, int spacing) {
        double[][] weights = new double[size][4];
        for (int p = 0; p < size; p++) {
            double u = (p + 0.5) / spacing;
            double t = u - Math.floor(u);
            double s = 1 - t;
            weights[p][0] = s * s * s / 6;
            weights[p][1] = (3 * t * t * t - 6 * t * t + 4) / 6;
            weights[p][2] = (-3 * t * t * t + 3 * t * t + 3 * t + 1) / 6;
            weights[p][3] = t * t * t / 6;
        }
        return weights;
    }
}
