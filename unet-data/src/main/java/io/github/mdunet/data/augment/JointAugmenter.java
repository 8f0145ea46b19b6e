package io.github.mdunet.data.augment;

import io.github.mdunet.core.checks.Checks;
import java.util.SplittableRandom;

/**
 * Draws one augmentation per sample and applies it to the image and its mask or target alike. A window past the
 * scaled source (a zoom out) shows the source mirrored at its edges in both; shrinking images is antialiased
 * ({@link Interpolation#BILINEAR}), masks stay nearest-neighbour.
 *
 * <p>Arrays are planar ({@code [c][y][x]} flattened), images raw 0-255 RGB, masks class ids. The caller gives the
 * random source, so the draw of sample {@code i} in epoch {@code e} depends only on the seed, {@code e} and
 * {@code i}, not on threads or batch order.
 *
 * @param config what to draw from ({@link AugmentConfig#NONE} for none)
 */
public record JointAugmenter(AugmentConfig config) {

    /**
     * @throws IllegalArgumentException for scales the framing would ignore: a zoom with {@link Framing#RESIZE}, a
     *                                  range with {@link Framing#CENTER_CROP}
     */
    public JointAugmenter {
        Checks.requireSet("JointAugmenter.config", config, "AugmentConfig.NONE for none");
        switch (config.framing()) {
            case RESIZE -> {
                if (config.minScale() != 1 || config.maxScale() != 1) {
                    throw new IllegalArgumentException("AugmentConfig.framing RESIZE stretches the whole image and"
                            + " zooms nothing, but minScale and maxScale were " + config.minScale() + " and "
                            + config.maxScale() + ": frame with RANDOM_CROP for a random zoom in that range"
                            + " (withFraming(Framing.RANDOM_CROP)), CENTER_CROP for one scale, or keep both at 1");
                }
            }
            case CENTER_CROP -> {
                if (config.maxScale() != config.minScale()) {
                    throw new IllegalArgumentException("AugmentConfig.framing CENTER_CROP crops at minScale ("
                            + config.minScale() + ") only, but maxScale was " + config.maxScale() + ": frame with"
                            + " RANDOM_CROP for a random zoom in that range, or give maxScale = minScale");
                }
            }
            case RANDOM_CROP -> {
            }
        }
    }

    /**
     * One draw: the geometry from output to source coordinates and the colour factors.
     *
     * @param geometry   output pixel coordinates to source pixel coordinates: an affine {@link Geometry}, or an
     *                   {@link DisplacedGeometry} of one (an elastic deformation, a perspective warp)
     * @param quarterTurns clockwise 90-degree turns applied to the source (0-3)
     * @param flipH      whether the turned source is flipped left-right
     * @param flipV      whether it is flipped top-bottom
     * @param rotation   the free rotation of the output window about its centre, in degrees (0 for none)
     * @param scale      the scale of the (turned) source, output pixels per source pixel (x; y differs only for
     *                   {@link Framing#RESIZE}); below the scale that covers the output for a zoom out
     * @param brightness brightness factor (1 = none): on the values, or on their odds for {@link LightingSpace#LOGITS}
     * @param contrast   contrast factor (1 = none): around the mean grey, or on the logits
     * @param saturation saturation factor (1 = none)
     * @param hue        hue shift, a share of a full turn in {@code [-0.5, 0.5]} (0 = none)
     * @param lighting   where brightness and contrast act
     */
    public record Draw(SourceMap geometry, int quarterTurns, boolean flipH, boolean flipV, double rotation,
                       double scale, float brightness, float contrast, float saturation, float hue,
                       LightingSpace lighting) {

        /**
         * This draw with saturation factor 1 and no hue shift: for an input and a target with different channel
         * counts, where only brightness and contrast mean the same on both.
         */
        public Draw withoutChroma() {
            return new Draw(geometry, quarterTurns, flipH, flipV, rotation, scale, brightness, contrast, 1f, 0f,
                    lighting);
        }

        /** Whether the colour factors change anything (a factor other than 1, a hue shift). */
        public boolean changesColour() {
            return brightness != 1f || contrast != 1f || saturation != 1f || hue != 0f;
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
        // Zoom is relative to the source, or, when the source is smaller than the output on a side, to the scale that
        // just covers the output (as prediction frames such images); a window past the scaled source is reflected.
        double base = Math.max(1, Math.max(outWidth / (double) turnedWidth, outHeight / (double) turnedHeight));
        Window window = switch (config.framing()) {
            case RESIZE -> new Window(outWidth / (double) turnedWidth, outHeight / (double) turnedHeight, 0, 0);
            case CENTER_CROP -> {
                double scale = config.minScale() * base;
                yield new Window(scale, scale, Math.floor(slack(turnedWidth, scale, outWidth) / 2.0),
                        Math.floor(slack(turnedHeight, scale, outHeight) / 2.0));
            }
            case RANDOM_CROP -> {
                double scale = zoom(random) * base;
                double ox = offset(random, slack(turnedWidth, scale, outWidth));
                double oy = offset(random, slack(turnedHeight, scale, outHeight));
                yield new Window(scale, scale, ox, oy);
            }
        };
        Geometry geometry = Geometry.translate(window.ox(), window.oy())
                .then(Geometry.scale(1 / window.sx(), 1 / window.sy()));
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
        float brightness = colourApplied(random, jitter.brightness())
                ? jitter.space().brightness(jitter.brightness(), random.nextDouble()) : 1f;
        float contrast = colourApplied(random, jitter.contrast())
                ? jitter.space().contrast(jitter.contrast(), random.nextDouble()) : 1f;
        float saturation = colourApplied(random, jitter.saturation())
                ? ColorJitter.factor(jitter.saturation(), random.nextDouble()) : 1f;
        // Hue, rotation, warp and deformation are drawn last, and only when asked for, so that the other draws of a
        // configuration without them stay as they were (as do all draws of one that applies every transform always).
        float hue = colourApplied(random, jitter.hue())
                ? (float) ((2 * random.nextDouble() - 1) * jitter.hue()) : 0f;
        double rotation = config.maxRotation() > 0 && applied(random, config.affineProbability())
                ? (2 * random.nextDouble() - 1) * config.maxRotation() : 0;
        if (rotation != 0) {
            geometry = Geometry.rotation(Math.toRadians(rotation), outWidth / 2.0, outHeight / 2.0).then(geometry);
        }
        return new Draw(displaced(random, geometry, outHeight, outWidth), turns, flipH, flipV, rotation,
                window.sx(), brightness, contrast, saturation, hue, jitter.space());
    }

    /** The window of the turned source the output shows: its scales and its top-left corner, in output pixels. */
    private record Window(double sx, double sy, double ox, double oy) {
    }

    /**
     * {@code geometry} after the configured perspective warp and elastic deformation, drawn in that order. Each of
     * the warp's two shifts has the affine chance of its own, as in fastai's {@code Warp}.
     */
    private SourceMap displaced(SplittableRandom random, Geometry geometry, int outHeight, int outWidth) {
        boolean warps = !config.perspective().isNone();
        boolean shiftA = warps && applied(random, config.affineProbability());
        boolean shiftB = warps && applied(random, config.affineProbability());
        boolean deform = !config.elastic().isNone() && applied(random, config.affineProbability());
        if (!shiftA && !shiftB && !deform) {
            return geometry;
        }
        float[] dx = new float[outHeight * outWidth];
        float[] dy = new float[outHeight * outWidth];
        if (shiftA || shiftB) {
            config.perspective().displace(random, shiftA, shiftB, outHeight, outWidth, dx, dy);
        }
        if (deform) {
            config.elastic().displace(random, outHeight, outWidth, dx, dy);
        }
        return new DisplacedGeometry(geometry, outWidth, dx, dy);
    }

    /**
     * The random crop's zoom: {@code minScale} without a range; otherwise uniform in {@code [minScale, maxScale]}, or 1
     * (no zoom) when the {@link AugmentConfig#affineProbability} draw leaves it out.
     */
    private double zoom(SplittableRandom random) {
        if (!(config.maxScale() > config.minScale())) {
            return config.minScale();
        }
        if (!applied(random, config.affineProbability())) {
            return 1;
        }
        return config.minScale() + random.nextDouble() * (config.maxScale() - config.minScale());
    }

    /** Whether a transform of chance {@code probability} applies to this sample; draws nothing for 0 or 1. */
    private static boolean applied(SplittableRandom random, double probability) {
        return probability >= 1 || probability > 0 && random.nextDouble() < probability;
    }

    /**
     * Whole pixels by which the scaled source is longer than the output: the window's positions when positive; when
     * negative, the source is shorter and the window runs past it by that much in all (filled by reflection).
     */
    private static int slack(int size, double scale, int out) {
        return (int) Math.floor(size * scale - out + 1e-6);
    }

    /** A random window offset: in {@code [0, slack]}, or in {@code [slack, 0]} when the source is shorter. */
    private static int offset(SplittableRandom random, int slack) {
        int step = random.nextInt(Math.abs(slack) + 1);
        return slack >= 0 ? step : slack + step;
    }

    /** Whether a colour change of {@code amount} applies: not 0, and not left out by the lighting draw. */
    private boolean colourApplied(SplittableRandom random, double amount) {
        return amount != 0 && applied(random, config.lightingProbability());
    }

    /**
     * Resamples a planar image through {@code geometry} into {@code outHeight x outWidth}. Points outside the source
     * take the source mirrored at its edges (reflection: pixel {@code -1} is pixel {@code 0}), so a window larger than
     * the scaled source (a zoom out) shows the reflected image there, as in the mask.
     *
     * <p>{@link Interpolation#BILINEAR} on a map that shrinks the source (more than one source pixel per output pixel
     * along an axis) averages the source pixels each output pixel covers (an area average, OpenCV's
     * {@code INTER_AREA}), so fine detail averages instead of aliasing, one axis after the other. A map that keeps
     * rows and columns apart (scales, crops, flips and 90-degree turns) is filtered so directly; another (a free
     * rotation, a warp, an elastic deformation) that shrinks first has the source area-averaged to about its own
     * scale ({@link #prefiltered}), then is sampled bilinearly from that, so training sees fine detail averaged as
     * validation and prediction do. Enlarging or keeping the size is plain bilinear from the four nearest pixels.
     */
    public static float[] resampleImage(float[] source, int channels, int height, int width, SourceMap geometry,
                                        int outHeight, int outWidth, Interpolation interpolation) {
        int outPlane = outHeight * outWidth;
        int plane = height * width;
        if (interpolation == Interpolation.NEAREST) {
            float[] out = new float[channels * outPlane];
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
        if (geometry instanceof Geometry affine && isAxisAligned(affine)) {
            return shrinks(affine) ? filtered(source, channels, height, width, affine, outHeight, outWidth)
                    : bilinear(source, channels, height, width, affine, outHeight, outWidth);
        }
        return prefiltered(source, channels, height, width, geometry, outHeight, outWidth);
    }

    /**
     * A slanted or displaced map: when its affine part spans more than one source pixel per output pixel along a
     * source axis ({@code f}, the length of that axis's row of the linear part: the scale, whatever the rotation),
     * the source is first area-averaged by {@code f} along it (an axis-aligned {@link #filtered} pass to
     * {@code size / f} pixels, the map rescaled onto that), then sampled bilinearly.
     */
    private static float[] prefiltered(float[] source, int channels, int height, int width, SourceMap geometry,
                                       int outHeight, int outWidth) {
        Geometry affine = geometry.affinePart();
        double alongX = Math.hypot(affine.a(), affine.b());
        double alongY = Math.hypot(affine.c(), affine.d());
        if (alongX <= 1 + 1e-9 && alongY <= 1 + 1e-9) {
            return bilinear(source, channels, height, width, geometry, outHeight, outWidth);
        }
        int smallWidth = Math.max(1, (int) Math.round(width / Math.max(1, alongX)));
        int smallHeight = Math.max(1, (int) Math.round(height / Math.max(1, alongY)));
        float[] small = filtered(source, channels, height, width,
                Geometry.scale(width / (double) smallWidth, height / (double) smallHeight), smallHeight, smallWidth);
        SourceMap onSmall = geometry.then(Geometry.scale(smallWidth / (double) width, smallHeight / (double) height));
        return bilinear(small, channels, smallHeight, smallWidth, onSmall, outHeight, outWidth);
    }

    /** Whether {@code geometry} maps output rows to source rows or columns, never to a slant (no free rotation). */
    private static boolean isAxisAligned(Geometry geometry) {
        return geometry.b() == 0 && geometry.c() == 0 || geometry.a() == 0 && geometry.d() == 0;
    }

    /** Whether one output pixel spans more than one source pixel along an axis. */
    private static boolean shrinks(Geometry geometry) {
        double alongX = Math.abs(geometry.a()) + Math.abs(geometry.c());
        double alongY = Math.abs(geometry.b()) + Math.abs(geometry.d());
        return Math.max(alongX, alongY) > 1 + 1e-9;
    }

    /** Bilinear between the four source pixels nearest each output pixel centre's image (reflected at the edges). */
    private static float[] bilinear(float[] source, int channels, int height, int width, SourceMap geometry,
                                    int outHeight, int outWidth) {
        int outPlane = outHeight * outWidth;
        int plane = height * width;
        float[] out = new float[channels * outPlane];
        int[] topLeft = new int[outPlane];
        int[] dx = new int[outPlane];
        int[] dy = new int[outPlane];
        float[] wx = new float[outPlane];
        float[] wy = new float[outPlane];
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                // Reflecting the point, then clamping its neighbours, is bilinear on the mirrored source.
                double fx = reflect(geometry.pixelSourceX(x, y), width) - 0.5;
                double fy = reflect(geometry.pixelSourceY(x, y), height) - 0.5;
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

    /**
     * The taps of an area average along one axis (OpenCV's {@code INTER_AREA}): output {@code k}'s centre maps to
     * source coordinate {@code scale * (k + 0.5) + offset}, its footprint is {@code width = max(1, |scale|)} source
     * pixels around it, and source pixel {@code j}, covering {@code [j, j + 1)}, weighs the length of its overlap with
     * the footprint, normalised to sum 1. At {@code width} 1 that is bilinear interpolation, so the filter joins the
     * enlarging path without a jump. Taps past the source are mirrored into it, as the bilinear path reflects.
     *
     * @param index      source pixel of tap {@code t} of output {@code k}: {@code index[k * taps + t]}
     * @param weight     its weight
     * @param count      taps in use per output (the rest are unused)
     * @param contiguous whether output {@code k}'s taps are consecutive source pixels (no reflection among them)
     * @param taps       the stride
     */
    private record Taps(int[] index, float[] weight, int[] count, boolean[] contiguous, int taps) {

        static Taps of(int outputs, double scale, double offset, int size) {
            double width = Math.max(1, Math.abs(scale));
            int taps = (int) Math.ceil(width) + 2;
            int[] index = new int[outputs * taps];
            float[] weight = new float[outputs * taps];
            int[] count = new int[outputs];
            boolean[] contiguous = new boolean[outputs];
            for (int k = 0; k < outputs; k++) {
                double centre = scale * (k + 0.5) + offset;
                double from = centre - width / 2;
                double to = centre + width / 2;
                double sum = 0;
                int n = 0;
                for (int j = (int) Math.floor(from); j < to && n < taps; j++) {
                    double w = Math.min(j + 1, to) - Math.max(j, from);
                    if (w > 1e-9) {
                        index[k * taps + n] = reflectIndex(j, size);
                        weight[k * taps + n] = (float) w;
                        sum += w;
                        n++;
                    }
                }
                for (int t = 0; t < n; t++) {
                    weight[k * taps + t] = (float) (weight[k * taps + t] / sum);
                }
                count[k] = n;
                contiguous[k] = index[k * taps + n - 1] - index[k * taps] == n - 1;
            }
            return new Taps(index, weight, count, contiguous, taps);
        }

        int smallestIndex() {
            int smallest = Integer.MAX_VALUE;
            for (int k = 0; k < count.length; k++) {
                for (int t = 0; t < count[k]; t++) {
                    smallest = Math.min(smallest, index[k * taps + t]);
                }
            }
            return smallest;
        }

        int largestIndex() {
            int largest = -1;
            for (int k = 0; k < count.length; k++) {
                for (int t = 0; t < count[k]; t++) {
                    largest = Math.max(largest, index[k * taps + t]);
                }
            }
            return largest;
        }
    }

    /**
     * The separable area average of an axis-aligned map: first along source rows (each needed row reduced to the
     * outputs its columns map to), then across them. One intermediate buffer, reused for every channel.
     */
    private static float[] filtered(float[] source, int channels, int height, int width, Geometry geometry,
                                     int outHeight, int outWidth) {
        // Either output x runs along source x (no turn) or output y does (an odd number of quarter turns).
        boolean turned = geometry.a() == 0 && geometry.d() == 0;
        int alongColumns = turned ? outHeight : outWidth;
        int alongRows = turned ? outWidth : outHeight;
        Taps columns = Taps.of(alongColumns, turned ? geometry.b() : geometry.a(), geometry.tx(), width);
        Taps rows = Taps.of(alongRows, turned ? geometry.c() : geometry.d(), geometry.ty(), height);
        int firstRow = rows.smallestIndex();
        int rowCount = rows.largestIndex() - firstRow + 1;
        int plane = height * width;
        int outPlane = outHeight * outWidth;
        float[] out = new float[channels * outPlane];
        float[] reduced = new float[rowCount * alongColumns];
        // Laid out so that the second pass reads and writes along rows: [source row][k], or [k][source row] turned.
        int rowStride = turned ? 1 : alongColumns;
        int kStride = turned ? rowCount : 1;
        for (int c = 0; c < channels; c++) {
            for (int r = 0; r < rowCount; r++) {
                int from = c * plane + (firstRow + r) * width;
                int to = r * rowStride;
                for (int k = 0; k < alongColumns; k++) {
                    int tap = k * columns.taps;
                    float sum = 0;
                    if (columns.contiguous[k]) {
                        int first = from + columns.index[tap];
                        for (int t = 0; t < columns.count[k]; t++) {
                            sum += columns.weight[tap + t] * source[first + t];
                        }
                    } else {
                        for (int t = 0; t < columns.count[k]; t++) {
                            sum += columns.weight[tap + t] * source[from + columns.index[tap + t]];
                        }
                    }
                    reduced[to + k * kStride] = sum;
                }
            }
            int to = c * outPlane;
            if (turned) {
                // Output row k comes from source column k's outputs, output column m from source rows.
                for (int k = 0; k < alongColumns; k++) {
                    int row = to + k * outWidth;
                    int from = k * kStride - firstRow;
                    for (int m = 0; m < alongRows; m++) {
                        int tap = m * rows.taps;
                        float sum = 0;
                        for (int t = 0; t < rows.count[m]; t++) {
                            sum += rows.weight[tap + t] * reduced[from + rows.index[tap + t]];
                        }
                        out[row + m] = sum;
                    }
                }
            } else {
                for (int m = 0; m < alongRows; m++) {
                    int row = to + m * outWidth;
                    int tap = m * rows.taps;
                    for (int t = 0; t < rows.count[m]; t++) {
                        float w = rows.weight[tap + t];
                        int from = (rows.index[tap + t] - firstRow) * rowStride;
                        for (int k = 0; k < alongColumns; k++) {
                            out[row + k] += w * reduced[from + k];
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Resamples a mask through {@code geometry}, nearest-neighbour: every output id is a source id. */
    public static int[] resampleMask(int[] ids, int height, int width, SourceMap geometry, int outHeight,
                                     int outWidth) {
        int[] index = nearestIndices(height, width, geometry, outHeight, outWidth);
        int[] out = new int[index.length];
        for (int o = 0; o < index.length; o++) {
            out[o] = ids[index[o]];
        }
        return out;
    }

    /**
     * For each output pixel, the index of the source pixel containing its centre's image, reflected into the source
     * when it falls outside.
     */
    private static int[] nearestIndices(int height, int width, SourceMap geometry, int outHeight, int outWidth) {
        int[] index = new int[outHeight * outWidth];
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                int xs = clamp((int) Math.floor(reflect(geometry.pixelSourceX(x, y), width)), width);
                int ys = clamp((int) Math.floor(reflect(geometry.pixelSourceY(x, y), height)), height);
                index[y * outWidth + x] = ys * width + xs;
            }
        }
        return index;
    }

    /**
     * A continuous coordinate mirrored into {@code [0, size]} at the edges 0 and {@code size} (period
     * {@code 2 * size}); the identity inside. The same reflection a flip is, so pixel {@code -1} shows pixel 0.
     */
    private static double reflect(double u, int size) {
        if (u >= 0 && u <= size) {
            return u;
        }
        double period = 2.0 * size;
        double m = u - period * Math.floor(u / period);
        return m > size ? period - m : m;
    }

    /** A pixel index mirrored into {@code [0, size)} as {@link #reflect} mirrors points: -1 is 0, size is size-1. */
    private static int reflectIndex(int j, int size) {
        if (j >= 0 && j < size) {
            return j;
        }
        int period = 2 * size;
        int m = Math.floorMod(j, period);
        return m >= size ? period - 1 - m : m;
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
     * {@link #meanGrey}, or 0 without a pass over them when {@code draw} changes no colour or its contrast acts on
     * the logits (the pivot is then unused).
     */
    public static float pivotFor(float[] pixels, int channels, int plane, Draw draw) {
        return draw.changesColour() && draw.lighting().pivotsAtMeanGrey() ? meanGrey(pixels, channels, plane) : 0f;
    }

    /**
     * Applies the draw's colour factors in place to a 0-255 image (RGB or grey), clamping to 0-255: every value is
     * multiplied by the brightness factor, then scaled by the contrast factor around {@code brightness * meanGrey}
     * (for {@link LightingSpace#LOGITS}: its logit shifted by the log of the brightness factor, then scaled by the
     * contrast factor, {@link LogitLighting}), then (RGB only) blended with the pixel's ITU-R 601 luma by the
     * saturation factor, then (RGB only) its HSV hue turned by the hue shift ({@link #shiftHue}). Brightness and
     * contrast are the same map on every channel (affine on the values, keeping a pixel's luma consistent with its
     * grey value); saturation keeps the luma. Give an image-to-image target its input's {@code meanGrey} so both go
     * through the same map.
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
        ValueMap lighting = switch (draw.lighting()) {
            case PIXELS -> v -> (v * brightness - pivot) * contrast + pivot;
            case LOGITS -> LogitLighting.of(brightness, contrast)::apply;
        };
        float saturation = draw.saturation();
        float hue = draw.hue();
        float[] rgb = new float[3];
        for (int i = 0; i < plane; i++) {
            if (channels == 3) {
                float r = lighting.apply(pixels[i]);
                float g = lighting.apply(pixels[plane + i]);
                float b = lighting.apply(pixels[2 * plane + i]);
                float grey = 0.299f * r + 0.587f * g + 0.114f * b;
                rgb[0] = clamp255(grey + (r - grey) * saturation);
                rgb[1] = clamp255(grey + (g - grey) * saturation);
                rgb[2] = clamp255(grey + (b - grey) * saturation);
                if (hue != 0f) {
                    shiftHue(rgb, hue);
                }
                pixels[i] = rgb[0];
                pixels[plane + i] = rgb[1];
                pixels[2 * plane + i] = rgb[2];
            } else {
                for (int c = 0; c < channels; c++) {
                    pixels[c * plane + i] = clamp255(lighting.apply(pixels[c * plane + i]));
                }
            }
        }
    }

    /** One value's brightness and contrast change. */
    private interface ValueMap {
        float apply(float value);
    }

    /**
     * Turns the HSV hue of one RGB pixel (any non-negative scale) by {@code shift} of a full turn, keeping its value
     * (the largest channel) and saturation, as torchvision's {@code adjust_hue}; a grey pixel has no hue and stays.
     */
    static void shiftHue(float[] rgb, float shift) {
        float r = rgb[0];
        float g = rgb[1];
        float b = rgb[2];
        float max = Math.max(r, Math.max(g, b));
        float delta = max - Math.min(r, Math.min(g, b));
        if (delta <= 0f) {
            return;
        }
        float sextant; // the hue in sixths of a turn, [0, 6)
        if (max == r) {
            sextant = (g - b) / delta;
            sextant = sextant < 0 ? sextant + 6 : sextant;
        } else if (max == g) {
            sextant = (b - r) / delta + 2;
        } else {
            sextant = (r - g) / delta + 4;
        }
        float turned = (float) ((sextant / 6.0 + shift) - Math.floor(sextant / 6.0 + shift)) * 6;
        int side = Math.min(5, (int) turned);
        float f = turned - side;
        float saturation = delta / max;
        float p = max * (1 - saturation);
        float q = max * (1 - saturation * f);
        float t = max * (1 - saturation * (1 - f));
        switch (side) {
            case 0 -> set(rgb, max, t, p);
            case 1 -> set(rgb, q, max, p);
            case 2 -> set(rgb, p, max, t);
            case 3 -> set(rgb, p, q, max);
            case 4 -> set(rgb, t, p, max);
            default -> set(rgb, max, p, q);
        }
    }

    private static void set(float[] rgb, float r, float g, float b) {
        rgb[0] = r;
        rgb[1] = g;
        rgb[2] = b;
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
