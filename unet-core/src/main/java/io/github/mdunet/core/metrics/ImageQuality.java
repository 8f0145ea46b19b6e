package io.github.mdunet.core.metrics;

/**
 * Full-reference image quality on planar pixel arrays ({@code [c][y][x]} flattened, values in
 * {@code [0, dataRange]}): PSNR, SSIM as defined by Wang, Bovik, Sheikh and Simoncelli (2004), and the luma
 * super-resolution papers report them on.
 *
 * <p>SSIM follows the paper's reference implementation: an 11 x 11 Gaussian window with sigma 1.5 (normalised to sum
 * 1), {@code K1 = 0.01}, {@code K2 = 0.03}, {@code C1 = (K1 L)^2}, {@code C2 = (K2 L)^2} for the data range
 * {@code L}; weighted means, variances and covariance without Bessel's correction; the map over the positions where
 * the window fits entirely ("valid", no padding), averaged. Images need at least 11 x 11 pixels.
 */
public final class ImageQuality {

    /** The side of the SSIM window. */
    public static final int WINDOW = 11;
    /** The standard deviation of the SSIM window's Gaussian. */
    public static final double SIGMA = 1.5;
    public static final double K1 = 0.01;
    public static final double K2 = 0.03;

    private static final double[] GAUSSIAN = gaussian();

    private ImageQuality() {
    }

    /**
     * {@code 10 log10(dataRange^2 / MSE)} over all values; positive infinity for identical images
     * ({@link ImageQualityEvaluation} counts those as its {@link ImageQualityEvaluation#PSNR_CEILING}).
     *
     * @throws IllegalArgumentException when the arrays differ in length or are empty
     */
    public static double psnr(double[] a, double[] b, double dataRange) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("PSNR needs two images of the same, non-zero size but got "
                    + a.length + " and " + b.length + " values");
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        double mse = sum / a.length;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(dataRange * dataRange / mse);
    }

    /**
     * The mean SSIM of two images of {@code channels} planes of {@code height x width}: the SSIM of each plane,
     * averaged over the planes.
     *
     * @throws IllegalArgumentException when the images are smaller than the 11 x 11 window or sizes disagree
     */
    public static double ssim(double[] a, double[] b, int channels, int height, int width, double dataRange) {
        int plane = height * width;
        if (a.length != channels * plane || b.length != channels * plane) {
            throw new IllegalArgumentException("SSIM needs two images of " + channels + "x" + height + "x" + width
                    + " values but got " + a.length + " and " + b.length);
        }
        if (height < WINDOW || width < WINDOW) {
            throw new IllegalArgumentException("SSIM needs images of at least " + WINDOW + "x" + WINDOW + " pixels (its"
                    + " Gaussian window) but they are " + height + "x" + width + " (after any border shave)");
        }
        double c1 = (K1 * dataRange) * (K1 * dataRange);
        double c2 = (K2 * dataRange) * (K2 * dataRange);
        double sum = 0;
        for (int c = 0; c < channels; c++) {
            sum += planeSsim(a, b, c * plane, height, width, c1, c2);
        }
        return sum / channels;
    }

    private static double planeSsim(double[] a, double[] b, int offset, int height, int width, double c1,
            double c2) {
        double[] x = new double[height * width];
        double[] y = new double[height * width];
        double[] xx = new double[height * width];
        double[] yy = new double[height * width];
        double[] xy = new double[height * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = a[offset + i];
            y[i] = b[offset + i];
            xx[i] = x[i] * x[i];
            yy[i] = y[i] * y[i];
            xy[i] = x[i] * y[i];
        }
        double[] muX = filterValid(x, height, width);
        double[] muY = filterValid(y, height, width);
        double[] meanXX = filterValid(xx, height, width);
        double[] meanYY = filterValid(yy, height, width);
        double[] meanXY = filterValid(xy, height, width);
        double sum = 0;
        for (int i = 0; i < muX.length; i++) {
            double mx = muX[i];
            double my = muY[i];
            double varX = meanXX[i] - mx * mx;
            double varY = meanYY[i] - my * my;
            double covariance = meanXY[i] - mx * my;
            sum += ((2 * mx * my + c1) * (2 * covariance + c2)) / ((mx * mx + my * my + c1) * (varX + varY + c2));
        }
        return sum / muX.length;
    }

    /** The Gaussian-weighted mean over every window that fits: {@code (height - 10) x (width - 10)} values. */
    private static double[] filterValid(double[] image, int height, int width) {
        int outHeight = height - WINDOW + 1;
        int outWidth = width - WINDOW + 1;
        double[] rows = new double[height * outWidth];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < outWidth; x++) {
                double sum = 0;
                for (int k = 0; k < WINDOW; k++) {
                    sum += GAUSSIAN[k] * image[y * width + x + k];
                }
                rows[y * outWidth + x] = sum;
            }
        }
        double[] out = new double[outHeight * outWidth];
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                double sum = 0;
                for (int k = 0; k < WINDOW; k++) {
                    sum += GAUSSIAN[k] * rows[(y + k) * outWidth + x];
                }
                out[y * outWidth + x] = sum;
            }
        }
        return out;
    }

    /** The normalised 1-D Gaussian of the window; the 2-D window is its outer product. */
    static double[] gaussian() {
        double[] g = new double[WINDOW];
        double sum = 0;
        for (int i = 0; i < WINDOW; i++) {
            double d = i - (WINDOW - 1) / 2.0;
            g[i] = Math.exp(-d * d / (2 * SIGMA * SIGMA));
            sum += g[i];
        }
        for (int i = 0; i < WINDOW; i++) {
            g[i] /= sum;
        }
        return g;
    }

    /**
     * The luma Y of ITU-R BT.601 in studio swing, as MATLAB's {@code rgb2ycbcr} and the super-resolution literature
     * compute it: {@code Y = 16 + (65.481 R + 128.553 G + 24.966 B) / 255} for R, G, B in 0-255 (Y in 16-235).
     *
     * @param rgb planar R, G, B planes of {@code plane} values each
     */
    public static double[] luma(double[] rgb, int plane) {
        if (rgb.length != 3 * plane) {
            throw new IllegalArgumentException("luma needs 3 planes of " + plane + " values but got " + rgb.length);
        }
        double[] y = new double[plane];
        for (int i = 0; i < plane; i++) {
            y[i] = 16 + (65.481 * rgb[i] + 128.553 * rgb[plane + i] + 24.966 * rgb[2 * plane + i]) / 255;
        }
        return y;
    }

    /**
     * The energy of the period-{@code period} pattern of one plane: the mean over the {@code period x period}
     * phases {@code (y mod period, x mod period)} of the squared deviation of each phase's mean from the mean of the
     * phase means. It is the power of the image at the frequencies that repeat every {@code period} pixels (their
     * harmonics included, the constant excluded): where checkerboard artefacts of a stride-{@code period}
     * upsampling sit. Zero for an image without such a pattern.
     */
    public static double periodicEnergy(double[] plane, int height, int width, int period) {
        if (period < 2 || period > Math.min(height, width)) {
            throw new IllegalArgumentException("period must be in [2, " + Math.min(height, width) + "] but was "
                    + period);
        }
        double[] sums = new double[period * period];
        int[] counts = new int[period * period];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int phase = (y % period) * period + x % period;
                sums[phase] += plane[y * width + x];
                counts[phase]++;
            }
        }
        double mean = 0;
        for (int p = 0; p < sums.length; p++) {
            sums[p] /= counts[p];
            mean += sums[p];
        }
        mean /= sums.length;
        double energy = 0;
        for (double phaseMean : sums) {
            energy += (phaseMean - mean) * (phaseMean - mean);
        }
        return energy / sums.length;
    }
}
