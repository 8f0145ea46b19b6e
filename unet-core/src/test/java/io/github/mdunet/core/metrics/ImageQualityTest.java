package io.github.mdunet.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * PSNR, SSIM and the periodic energy against values worked out independently of the implementation: closed forms
 * for constant images and a one-pixel shift of a checkerboard, and numbers computed with NumPy from the formulas of
 * Wang et al. (2004) for small images.
 */
class ImageQualityTest {

    private static final double C1 = Math.pow(0.01 * 255, 2);
    private static final double C2 = Math.pow(0.03 * 255, 2);

    private static double[] constant(double value, int length) {
        double[] image = new double[length];
        Arrays.fill(image, value);
        return image;
    }

    @Test
    void constantImages() {
        double[] a = constant(100, 16 * 20);
        double[] b = constant(110, 16 * 20);
        // MSE 100: 10 log10(255^2 / 100)
        assertThat(ImageQuality.psnr(a, b, 255)).isCloseTo(10 * Math.log10(65025.0 / 100), within(1e-12))
                .isCloseTo(28.1308, within(1e-4));
        // No variance: only the luminance term, (2ab + C1) / (a^2 + b^2 + C1)
        assertThat(ImageQuality.ssim(a, b, 1, 16, 20, 255)).isCloseTo((2 * 100 * 110 + C1)
                / (100 * 100 + 110 * 110 + C1), within(1e-12)).isCloseTo(0.995476, within(1e-6));
        assertThat(ImageQuality.psnr(a, a.clone(), 255)).isInfinite();
        assertThat(ImageQuality.ssim(a, a.clone(), 1, 16, 20, 255)).isEqualTo(1.0);
    }

    @Test
    void aCheckerboardShiftedByOnePixel() {
        // x = m + A c(y, x) with c = +-1 alternating; shifting it by one pixel gives y = m - A c.
        int height = 14;
        int width = 17;
        double m = 128;
        double amplitude = 20;
        double[] x = new double[height * width];
        double[] y = new double[height * width];
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                double sign = (r + c) % 2 == 0 ? 1 : -1;
                x[r * width + c] = m + amplitude * sign;
                y[r * width + c] = m - amplitude * sign;
            }
        }
        // every difference is 2A
        assertThat(ImageQuality.psnr(x, y, 255)).isCloseTo(20 * Math.log10(255 / (2 * amplitude)), within(1e-12));
        // With s = sum_i g_i (-1)^i of the 1-D Gaussian window, each window has mu = m +- A s^2, variances
        // A^2 (1 - s^4) and covariance -A^2 (1 - s^4): one SSIM value everywhere.
        double s = 0;
        double total = 0;
        double[] g = new double[11];
        for (int i = 0; i < 11; i++) {
            g[i] = Math.exp(-(i - 5) * (i - 5) / (2 * 1.5 * 1.5));
            total += g[i];
        }
        for (int i = 0; i < 11; i++) {
            s += g[i] / total * (i % 2 == 0 ? 1 : -1);
        }
        double s4 = Math.pow(s, 4);
        double a2 = amplitude * amplitude;
        double expected = ((2 * (m * m - a2 * s4) + C1) * (-2 * a2 * (1 - s4) + C2))
                / ((2 * m * m + 2 * a2 * s4 + C1) * (2 * a2 * (1 - s4) + C2));
        assertThat(ImageQuality.ssim(x, y, 1, height, width, 255)).isCloseTo(expected, within(1e-12))
                .isCloseTo(-0.8637, within(1e-4));
        assertThat(ImageQuality.periodicEnergy(x, height, width, 2)).as("a checkerboard is all period 2")
                .isCloseTo(amplitude * amplitude, within(0.5));
    }

    @Test
    void smallImagesComputedWithNumPy() {
        // x = 10 i + 5 j + 20, y = x + 6 ((3 i + 7 j) mod 5 - 2) for rows i and columns j; NumPy, same formulas.
        assertThat(ImageQuality.ssim(ramp(11, 11, false), ramp(11, 11, true), 1, 11, 11, 255))
                .as("one window").isCloseTo(0.8955204569831798, within(1e-12));
        assertThat(ImageQuality.psnr(ramp(11, 11, false), ramp(11, 11, true), 255))
                .isCloseTo(29.52173404078344, within(1e-12));
        assertThat(ImageQuality.ssim(ramp(13, 12, false), ramp(13, 12, true), 1, 13, 12, 255))
                .as("the mean of a 3 x 2 SSIM map").isCloseTo(0.8960427536429916, within(1e-12));
        assertThat(ImageQuality.psnr(ramp(13, 12, false), ramp(13, 12, true), 255))
                .isCloseTo(29.571420694282473, within(1e-12));
    }

    private static double[] ramp(int height, int width, boolean disturbed) {
        double[] image = new double[height * width];
        for (int i = 0; i < height; i++) {
            for (int j = 0; j < width; j++) {
                image[i * width + j] = 10 * i + 5 * j + 20 + (disturbed ? 6 * ((3 * i + 7 * j) % 5 - 2) : 0);
            }
        }
        return image;
    }

    @Test
    void ssimOfSeveralPlanesIsTheMeanOverPlanes() {
        double[] a = new double[2 * 11 * 11];
        double[] b = new double[2 * 11 * 11];
        System.arraycopy(ramp(11, 11, false), 0, a, 0, 121);
        System.arraycopy(ramp(11, 11, true), 0, b, 0, 121);
        Arrays.fill(a, 121, 242, 100);
        Arrays.fill(b, 121, 242, 110);
        assertThat(ImageQuality.ssim(a, b, 2, 11, 11, 255)).isCloseTo((0.8955204569831798 + (2 * 100 * 110 + C1)
                / (100 * 100 + 110 * 110 + C1)) / 2, within(1e-12));
    }

    @Test
    void lumaIsBt601StudioSwing() {
        // pure red, green, blue and white pixels
        double[] rgb = {255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255};
        assertThat(ImageQuality.luma(rgb, 4)).containsExactly(new double[] {16 + 65.481, 16 + 128.553,
                16 + 24.966, 235}, within(1e-9));
    }

    @Test
    void periodicEnergyIgnoresOtherPeriodsAndTheMean() {
        double[] stripes = new double[12 * 12];
        double[] smooth = new double[12 * 12];
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 12; x++) {
                stripes[y * 12 + x] = 50 + ((x / 2) % 2 == 0 ? 10 : -10); // period 4
                smooth[y * 12 + x] = 77;
            }
        }
        assertThat(ImageQuality.periodicEnergy(smooth, 12, 12, 2)).isZero();
        assertThat(ImageQuality.periodicEnergy(stripes, 12, 12, 2)).as("period 4 has no period-2 part").isZero();
        assertThat(ImageQuality.periodicEnergy(stripes, 12, 12, 4)).isCloseTo(100, within(1e-9));
    }

    @Test
    void refusesWhatItCannotMeasure() {
        assertThatThrownBy(() -> ImageQuality.ssim(new double[100], new double[100], 1, 10, 10, 255))
                .hasMessageContaining("at least 11x11 pixels").hasMessageContaining("10x10");
        assertThatThrownBy(() -> ImageQuality.psnr(new double[3], new double[4], 255))
                .hasMessageContaining("same, non-zero size but got 3 and 4");
    }
}
