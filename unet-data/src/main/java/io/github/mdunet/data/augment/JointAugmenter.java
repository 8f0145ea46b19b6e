package io.github.mdunet.data.augment;

import io.github.mdunet.core.checks.Checks;
import java.util.SplittableRandom;

/**
 * Draws one augmentation per sample and applies it to the image and its mask or target alike.
 *
 * <p>Arrays are planar ({@code [c][y][x]} flattened), images raw 0-255 RGB, masks class ids. The caller gives the
 * random source, so the draw of sample {@code i} in epoch {@code e} depends only on the seed, {@code e} and
 * {@code i}, not on threads or batch order.
 *
 * @param config what to draw from ({@link AugmentConfig#NONE} for none)
 */
public record JointAugmenter(AugmentConfig config) {

    public JointAugmenter {
        Checks.requireSet("JointAugmenter.config", config, "AugmentConfig.NONE for none");
    }

    /**
     * One draw: the geometry from output to source coordinates and the colour factors.
     *
     * @param geometry   output pixel coordinates to source pixel coordinates
     * @param quarterTurns clockwise 90-degree turns applied to the source (0-3)
     * @param flipH      whether the turned source is flipped left-right
     * @param flipV      whether it is flipped top-bottom
     * @param scale      the scale of the (turned) source (x; y differs only for {@link Framing#RESIZE})
     * @param brightness brightness factor (1 = none)
     * @param contrast   contrast factor (1 = none)
     * @param saturation saturation factor (1 = none)
     */
    public record Draw(Geometry geometry, int quarterTurns, boolean flipH, boolean flipV, double scale,
                       float brightness, float contrast, float saturation) {

        /** This draw with saturation factor 1: for an input and a target with different channel counts. */
        public Draw withoutSaturation() {
            return new Draw(geometry, quarterTurns, flipH, flipV, scale, brightness, contrast, 1f);
        }

        /** Whether the colour factors change anything (a factor other than 1). */
        public boolean changesColour() {
            return brightness != 1f || contrast != 1f || saturation != 1f;
        }
    }

    /**
     * Draws the augmentation of a source of {@code sourceHeight x sourceWidth} for an output of
     * {@code outHeight x outWidth}.
     */
    public Draw draw(SplittableRandom random, int sourceHeight, int sourceWidth, int outHeight, int outWidth) {
        int turns = config.rotate90() ? random.nextInt(4) : 0;
        boolean flipH = config.horizontalFlip() && random.nextBoolean();
        boolean flipV = config.verticalFlip() && random.nextBoolean();
        int turnedHeight = turns % 2 == 0 ? sourceHeight : sourceWidth;
        int turnedWidth = turns % 2 == 0 ? sourceWidth : sourceHeight;
        double sx;
        double sy;
        double ox = 0;
        double oy = 0;
        double cover = Math.max(outWidth / (double) turnedWidth, outHeight / (double) turnedHeight);
        switch (config.framing()) {
            case RESIZE -> {
                sx = outWidth / (double) turnedWidth;
                sy = outHeight / (double) turnedHeight;
            }
            case CENTER_CROP -> {
                sx = sy = Math.max(config.minScale(), cover);
                ox = Math.floor(slack(turnedWidth, sx, outWidth) / 2.0);
                oy = Math.floor(slack(turnedHeight, sy, outHeight) / 2.0);
            }
            case RANDOM_CROP -> {
                double s = config.maxScale() > config.minScale()
                        ? config.minScale() + random.nextDouble() * (config.maxScale() - config.minScale())
                        : config.minScale();
                sx = sy = Math.max(s, cover);
                ox = random.nextInt(slack(turnedWidth, sx, outWidth) + 1);
                oy = random.nextInt(slack(turnedHeight, sy, outHeight) + 1);
            }
            default -> throw new IllegalStateException("unknown framing " + config.framing());
        }
        Geometry geometry = Geometry.translate(ox, oy).then(Geometry.scale(1 / sx, 1 / sy));
        if (flipV) {
            geometry = geometry.then(Geometry.flipTopBottom(turnedHeight));
        }
        if (flipH) {
            geometry = geometry.then(Geometry.flipLeftRight(turnedWidth));
        }
        for (int turn = turns; turn >= 1; turn--) {
            int heightBeforeTurn = (turn - 1) % 2 == 0 ? sourceHeight : sourceWidth;
            geometry = geometry.then(new Geometry(0, 1, -1, 0, 0, heightBeforeTurn));
        }
        ColorJitter jitter = config.jitter();
        float brightness = factor(random, jitter.brightness());
        float contrast = factor(random, jitter.contrast());
        float saturation = factor(random, jitter.saturation());
        return new Draw(geometry, turns, flipH, flipV, sx, brightness, contrast, saturation);
    }

    private static int slack(int size, double scale, int out) {
        return Math.max(0, (int) Math.floor(size * scale - out + 1e-6));
    }

    private static float factor(SplittableRandom random, double amount) {
        return amount == 0 ? 1f : (float) (1 - amount + 2 * amount * random.nextDouble());
    }

    /** Resamples a planar image through {@code geometry} into {@code outHeight x outWidth}. */
    public static float[] resampleImage(float[] source, int channels, int height, int width, Geometry geometry,
                                        int outHeight, int outWidth, Interpolation interpolation) {
        int outPlane = outHeight * outWidth;
        int plane = height * width;
        float[] out = new float[channels * outPlane];
        if (interpolation == Interpolation.NEAREST) {
            // The same source indices as resampleMask: image and mask cannot disagree.
            int[] index = nearestIndices(height, width, geometry, outHeight, outWidth);
            for (int c = 0; c < channels; c++) {
                int base = c * plane;
                int to = c * outPlane;
                for (int o = 0; o < outPlane; o++) {
                    out[to + o] = source[base + index[o]];
                }
            }
            return out;
        }
        int[] topLeft = new int[outPlane];
        int[] dx = new int[outPlane];
        int[] dy = new int[outPlane];
        float[] wx = new float[outPlane];
        float[] wy = new float[outPlane];
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                double fx = geometry.sourceX(x + 0.5, y + 0.5) - 0.5;
                double fy = geometry.sourceY(x + 0.5, y + 0.5) - 0.5;
                int x0 = (int) Math.floor(fx);
                int y0 = (int) Math.floor(fy);
                int o = y * outWidth + x;
                int xa = clamp(x0, width);
                int ya = clamp(y0, height);
                topLeft[o] = ya * width + xa;
                dx[o] = clamp(x0 + 1, width) - xa;
                dy[o] = (clamp(y0 + 1, height) - ya) * width;
                wx[o] = (float) (fx - x0);
                wy[o] = (float) (fy - y0);
            }
        }
        for (int c = 0; c < channels; c++) {
            int base = c * plane;
            int to = c * outPlane;
            for (int o = 0; o < outPlane; o++) {
                int i = base + topLeft[o];
                float a = source[i];
                float b = source[i + dx[o]];
                float top = a + wx[o] * (b - a);
                float d = source[i + dy[o]];
                float e = source[i + dy[o] + dx[o]];
                float bottom = d + wx[o] * (e - d);
                out[to + o] = top + wy[o] * (bottom - top);
            }
        }
        return out;
    }

    /** Resamples a mask through {@code geometry}, nearest-neighbour: every output id is a source id. */
    public static int[] resampleMask(int[] ids, int height, int width, Geometry geometry, int outHeight, int outWidth) {
        int[] index = nearestIndices(height, width, geometry, outHeight, outWidth);
        int[] out = new int[index.length];
        for (int o = 0; o < index.length; o++) {
            out[o] = ids[index[o]];
        }
        return out;
    }

    /** For each output pixel, the index of the source pixel containing its centre's image (edges clamped). */
    private static int[] nearestIndices(int height, int width, Geometry geometry, int outHeight, int outWidth) {
        int[] index = new int[outHeight * outWidth];
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                int xs = clamp((int) Math.floor(geometry.sourceX(x + 0.5, y + 0.5)), width);
                int ys = clamp((int) Math.floor(geometry.sourceY(x + 0.5, y + 0.5)), height);
                index[y * outWidth + x] = ys * width + xs;
            }
        }
        return index;
    }

    /**
     * Applies the draw's colour factors in place to a 0-255 image (RGB or grey), clamping to 0-255, with the contrast
     * pivoting around the image's own mean grey ({@link #meanGrey}).
     */
    public static void jitter(float[] pixels, int channels, int plane, Draw draw) {
        jitter(pixels, channels, plane, draw, pivotFor(pixels, channels, plane, draw));
    }

    /**
     * The contrast pivot {@link #jitter(float[], int, int, Draw, float)} needs for {@code pixels}: their
     * {@link #meanGrey}, or 0 without a pass over them when {@code draw} changes no colour (the pivot is then unused).
     */
    public static float pivotFor(float[] pixels, int channels, int plane, Draw draw) {
        return draw.changesColour() ? meanGrey(pixels, channels, plane) : 0f;
    }

    /**
     * Applies the draw's colour factors in place to a 0-255 image (RGB or grey), clamping to 0-255: every value is
     * multiplied by the brightness factor, then scaled by the contrast factor around {@code brightness * meanGrey},
     * then (RGB only) blended with the pixel's ITU-R 601 luma by the saturation factor. Brightness and contrast are
     * the same affine map on every channel and keep a pixel's luma consistent with its grey value; saturation keeps
     * the luma. Give an image-to-image target its input's {@code meanGrey} so both go through the same map.
     *
     * @param meanGrey the pivot before brightness, on 0-255 (usually {@link #meanGrey} of the input)
     */
    public static void jitter(float[] pixels, int channels, int plane, Draw draw, float meanGrey) {
        if (!draw.changesColour()) {
            return;
        }
        float brightness = draw.brightness();
        float pivot = brightness * meanGrey;
        float contrast = draw.contrast();
        float saturation = draw.saturation();
        for (int i = 0; i < plane; i++) {
            if (channels == 3) {
                float r = (pixels[i] * brightness - pivot) * contrast + pivot;
                float g = (pixels[plane + i] * brightness - pivot) * contrast + pivot;
                float b = (pixels[2 * plane + i] * brightness - pivot) * contrast + pivot;
                float grey = 0.299f * r + 0.587f * g + 0.114f * b;
                pixels[i] = clamp255(grey + (r - grey) * saturation);
                pixels[plane + i] = clamp255(grey + (g - grey) * saturation);
                pixels[2 * plane + i] = clamp255(grey + (b - grey) * saturation);
            } else {
                for (int c = 0; c < channels; c++) {
                    pixels[c * plane + i] = clamp255((pixels[c * plane + i] * brightness - pivot) * contrast + pivot);
                }
            }
        }
    }

    /**
     * The mean grey of a 0-255 planar image, the contrast pivot: for RGB the mean ITU-R 601 luma
     * ({@code 0.299 R + 0.587 G + 0.114 B}, as {@code ImageFiles.readImage} converts colour to grey), for one channel
     * its mean. So a grey image and the colour image it was converted from have the same mean grey.
     */
    public static float meanGrey(float[] pixels, int channels, int plane) {
        double sum = 0;
        if (channels == 3) {
            for (int i = 0; i < plane; i++) {
                sum += 0.299 * pixels[i] + 0.587 * pixels[plane + i] + 0.114 * pixels[2 * plane + i];
            }
            return (float) (sum / plane);
        }
        for (int i = 0; i < channels * plane; i++) {
            sum += pixels[i];
        }
        return (float) (sum / ((double) channels * plane));
    }

    private static float clamp255(float v) {
        return v < 0 ? 0 : Math.min(v, 255f);
    }

    private static int clamp(int v, int size) {
        return v < 0 ? 0 : Math.min(v, size - 1);
    }
}
