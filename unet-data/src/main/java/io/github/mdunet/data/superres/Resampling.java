package io.github.mdunet.data.superres;

import io.github.mdunet.data.image.DecodedImage;

/**
 * Resampling of planar images ({@link DecodedImage}: {@code [c][y][x]}, raw 0-255) for super-resolution: box
 * (area-averaged) downscaling by an integer factor, and bicubic interpolation to any size.
 *
 * <p>Bicubic: Keys's cubic convolution with {@code a = -0.5} (MATLAB's and Pillow's {@code imresize} kernel) on
 * pixel centres ({@code source = (target + 0.5) / scale - 0.5}, "align corners = false"), borders extended by
 * replicating the edge pixels, results clamped to 0-255. No anti-aliasing filter: meant for upscaling.
 */
public final class Resampling {

    private static final double A = -0.5;

    private Resampling() {
    }

    /**
     * The mean of each {@code factor x factor} block: {@code [c, h, w] -> [c, h/factor, w/factor]}.
     *
     * @param round round the means to the levels the image's file holds ({@link DecodedImage#depth()}: whole values
     *              for 8 bits, steps of 1/257 for 16), as a file of the smaller image would store them
     * @throws IllegalArgumentException when {@code factor} does not divide the height and width
     */
    public static DecodedImage areaDownscale(DecodedImage image, int factor, boolean round) {
        if (factor < 1 || image.height() % factor != 0 || image.width() % factor != 0) {
            throw new IllegalArgumentException("area downscaling by " + factor + " needs a height and width divisible"
                    + " by it but the image is " + image.width() + "x" + image.height() + " (width x height)");
        }
        int height = image.height() / factor;
        int width = image.width() / factor;
        float[] out = new float[image.channels() * height * width];
        double area = factor * factor;
        for (int c = 0; c < image.channels(); c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double sum = 0;
                    for (int dy = 0; dy < factor; dy++) {
                        for (int dx = 0; dx < factor; dx++) {
                            sum += image.at(c, y * factor + dy, x * factor + dx);
                        }
                    }
                    double mean = sum / area;
                    out[(c * height + y) * width + x] = round ? image.depth().quantized(mean) : (float) mean;
                }
            }
        }
        return image.derived(image.channels(), height, width, out);
    }

    /** Bicubic interpolation to {@code height x width}; see the class comment for the conventions. */
    public static DecodedImage bicubic(DecodedImage image, int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("bicubic needs a target of at least 1x1 but was " + width + "x"
                    + height + " (width x height)");
        }
        Taps rows = taps(image.height(), height);
        Taps columns = taps(image.width(), width);
        int inHeight = image.height();
        int inWidth = image.width();
        float[] source = image.pixels();
        float[] horizontal = new float[inHeight * width];
        float[] out = new float[image.channels() * height * width];
        for (int c = 0; c < image.channels(); c++) {
            int base = c * inHeight * inWidth;
            for (int y = 0; y < inHeight; y++) {
                for (int x = 0; x < width; x++) {
                    double sum = 0;
                    for (int k = 0; k < 4; k++) {
                        sum += columns.weight[x * 4 + k] * source[base + y * inWidth + columns.index[x * 4 + k]];
                    }
                    horizontal[y * width + x] = (float) sum;
                }
            }
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double sum = 0;
                    for (int k = 0; k < 4; k++) {
                        sum += rows.weight[y * 4 + k] * horizontal[rows.index[y * 4 + k] * width + x];
                    }
                    out[(c * height + y) * width + x] = (float) Math.max(0, Math.min(255, sum));
                }
            }
        }
        return image.derived(image.channels(), height, width, out);
    }

    /** For each target position, the 4 source indices (edge-replicated) and their weights. */
    private record Taps(int[] index, double[] weight) {
    }

    private static Taps taps(int sourceSize, int targetSize) {
        int[] index = new int[targetSize * 4];
        double[] weight = new double[targetSize * 4];
        double scale = (double) targetSize / sourceSize;
        for (int t = 0; t < targetSize; t++) {
            double position = (t + 0.5) / scale - 0.5;
            int left = (int) Math.floor(position);
            double fraction = position - left;
            for (int k = 0; k < 4; k++) {
                int s = left - 1 + k;
                index[t * 4 + k] = Math.max(0, Math.min(sourceSize - 1, s));
                weight[t * 4 + k] = cubic(fraction - (k - 1));
            }
        }
        return new Taps(index, weight);
    }

    /** Keys's kernel with a = -0.5 at distance {@code x}. */
    static double cubic(double x) {
        double d = Math.abs(x);
        if (d <= 1) {
            return ((A + 2) * d - (A + 3)) * d * d + 1;
        }
        if (d < 2) {
            return ((A * d - 5 * A) * d + 8 * A) * d - 4 * A;
        }
        return 0;
    }

    /** The top-left {@code height x width} region (a copy). */
    public static DecodedImage crop(DecodedImage image, int top, int left, int height, int width) {
        if (top < 0 || left < 0 || top + height > image.height() || left + width > image.width()) {
            throw new IllegalArgumentException("crop " + width + "x" + height + " at (" + left + ", " + top + ") does"
                    + " not fit an image of " + image.width() + "x" + image.height() + " (width x height)");
        }
        float[] out = new float[image.channels() * height * width];
        for (int c = 0; c < image.channels(); c++) {
            for (int y = 0; y < height; y++) {
                System.arraycopy(image.pixels(), (c * image.height() + top + y) * image.width() + left, out,
                        (c * height + y) * width, width);
            }
        }
        return image.derived(image.channels(), height, width, out);
    }
}
