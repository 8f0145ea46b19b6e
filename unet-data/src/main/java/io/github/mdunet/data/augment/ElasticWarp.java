package io.github.mdunet.data.augment;

import java.util.SplittableRandom;

/**
 * An affine {@link Geometry} after a smooth displacement of the output pixels: output pixel {@code (x, y)} samples
 * the geometry's source point of {@code (x + 0.5 + dx, y + 0.5 + dy)}, with the displacement drawn by
 * {@link #draw} from an {@link ElasticDeformation}.
 *
 * @param geometry the affine map applied after the displacement
 * @param width    the output width ({@code dx} and {@code dy} are row-major over the output)
 * @param dx       each output pixel's displacement along x, in output pixels
 * @param dy       each output pixel's displacement along y, in output pixels
 */
public record ElasticWarp(Geometry geometry, int width, float[] dx, float[] dy) implements SourceMap {

    public ElasticWarp {
        if (width < 1 || dx.length != dy.length || dx.length % width != 0) {
            throw new IllegalArgumentException("ElasticWarp needs two displacement planes of equal length, a multiple"
                    + " of width " + width + ", but had " + dx.length + " and " + dy.length);
        }
    }

    @Override
    public double pixelSourceX(int x, int y) {
        int i = y * width + x;
        return geometry.sourceX(x + 0.5 + dx[i], y + 0.5 + dy[i]);
    }

    @Override
    public double pixelSourceY(int x, int y) {
        int i = y * width + x;
        return geometry.sourceY(x + 0.5 + dx[i], y + 0.5 + dy[i]);
    }

    /**
     * Draws a displacement of an {@code outHeight x outWidth} output: normal offsets of standard deviation
     * {@code deformation.magnitude()} on a control grid {@code spacing} pixels apart (one more point before the first
     * pixel and two after the last, as the cubic B-spline needs), evaluated at each pixel centre.
     */
    public static ElasticWarp draw(SplittableRandom random, ElasticDeformation deformation, int outHeight,
                                   int outWidth, Geometry geometry) {
        int spacing = deformation.spacing();
        int gridWidth = outWidth / spacing + 4;
        int gridHeight = outHeight / spacing + 4;
        double[] controlX = new double[gridHeight * gridWidth];
        double[] controlY = new double[gridHeight * gridWidth];
        for (int i = 0; i < controlX.length; i++) {
            controlX[i] = random.nextGaussian() * deformation.magnitude();
            controlY[i] = random.nextGaussian() * deformation.magnitude();
        }
        double[][] columnWeights = weights(outWidth, spacing);
        double[][] rowWeights = weights(outHeight, spacing);
        float[] dx = new float[outHeight * outWidth];
        float[] dy = new float[outHeight * outWidth];
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
                dx[y * outWidth + x] = (float) sumX;
                dy[y * outWidth + x] = (float) sumY;
            }
        }
        return new ElasticWarp(geometry, outWidth, dx, dy);
    }

    /**
     * The uniform cubic B-spline's four weights of each pixel centre along a side of {@code size} pixels, for the
     * control points {@code k-1 .. k+2} around its cell {@code k} (stored from index {@code k}, the grid holding one
     * point before the first cell).
     */
    private static double[][] weights(int size, int spacing) {
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
