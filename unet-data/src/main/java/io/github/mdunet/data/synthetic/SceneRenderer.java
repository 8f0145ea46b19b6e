package io.github.mdunet.data.synthetic;

import java.util.SplittableRandom;

/**
 * Paints one {@link TexturedScenes.Scene}: a textured background with distractors, 1 to 4 textured objects on top,
 * then blur and sensor noise. Every random choice comes from the one {@link SplittableRandom}, in a fixed order, and
 * every transcendental function is {@link StrictMath}'s, so a scene is a pure function of its random stream.
 */
final class SceneRenderer {

    /** Object diameters run from this share of the image's longer side ... */
    static final double MIN_OBJECT_SHARE = 0.08;
    /** ... to this share. */
    static final double MAX_OBJECT_SHARE = 0.45;

    private final int width;
    private final int height;
    private final SplittableRandom random;
    private final float[] red;
    private final float[] green;
    private final float[] blue;
    private final int[] classIds;

    private SceneRenderer(int width, int height, SplittableRandom random) {
        this.width = width;
        this.height = height;
        this.random = random;
        this.red = new float[width * height];
        this.green = new float[width * height];
        this.blue = new float[width * height];
        this.classIds = new int[width * height];
    }

    static TexturedScenes.Scene render(int width, int height, SplittableRandom random) {
        SceneRenderer renderer = new SceneRenderer(width, height, random);
        renderer.paintBackground();
        int clutter = random.nextInt(4);
        for (int i = 0; i < clutter; i++) {
            renderer.paintClutter();
        }
        int objects = 1 + random.nextInt(4);
        for (int i = 0; i < objects; i++) {
            renderer.paintObject(1 + random.nextInt(3));
        }
        return new TexturedScenes.Scene(width, height, renderer.finish(), renderer.classIds);
    }

    /**
     * One colour, 0..255 per channel, from the distribution that backgrounds, clutter and objects all draw from, so
     * that colour alone says nothing about the class: any hue, low to medium saturation, medium brightness.
     */
    static double[] tint(SplittableRandom random) {
        double hue = random.nextDouble() * 6;
        double saturation = 0.08 + 0.5 * random.nextDouble();
        double value = 255 * (0.3 + 0.6 * random.nextDouble());
        int sector = (int) hue;
        double f = hue - sector;
        double p = value * (1 - saturation);
        double q = value * (1 - saturation * f);
        double t = value * (1 - saturation * (1 - f));
        return switch (sector) {
            case 0 -> new double[] {value, t, p};
            case 1 -> new double[] {q, value, p};
            case 2 -> new double[] {p, value, t};
            case 3 -> new double[] {p, q, value};
            case 4 -> new double[] {t, p, value};
            default -> new double[] {value, p, q};
        };
    }

    private void paintBackground() {
        double[] first = tint(random);
        double[] second = tint(random);
        int seed = random.nextInt();
        double scale = (0.3 + 0.4 * random.nextDouble()) * Math.max(width, height);
        Gradient shading = randomGradient(width / 2.0, height / 2.0, Math.max(width, height) / 2.0, 0.3);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double mix = ValueNoise.sharpen(ValueNoise.fbm(seed, x / scale, y / scale, 3), 1.6);
                double shade = shading.at(x + 0.5, y + 0.5);
                int i = y * width + x;
                red[i] = (float) (ValueNoise.lerp(first[0], second[0], mix) * shade);
                green[i] = (float) (ValueNoise.lerp(first[1], second[1], mix) * shade);
                blue[i] = (float) (ValueNoise.lerp(first[2], second[2], mix) * shade);
            }
        }
        if (random.nextDouble() < 0.6) {
            addDistractor(new TexturePattern.FineNoise(random.nextInt(), 1.2 + 1.8 * random.nextDouble()),
                    0.15 + 0.35 * random.nextDouble());
        }
        if (random.nextDouble() < 0.45) {
            addDistractor(new TexturePattern.Blotches(random.nextInt(), 4 + 7 * random.nextDouble()),
                    0.15 + 0.3 * random.nextDouble());
        }
        if (random.nextDouble() < 0.3) {
            double angle = random.nextDouble() * Math.PI;
            addDistractor(new TexturePattern.Ripples(StrictMath.cos(angle), StrictMath.sin(angle),
                    12 + 14 * random.nextDouble(), random.nextDouble() * 2 * Math.PI),
                    0.08 + 0.17 * random.nextDouble());
        }
    }

    /** Modulates the brightness by {@code pattern}, over the whole image or over a soft random region of it. */
    private void addDistractor(TexturePattern pattern, double contrast) {
        boolean everywhere = random.nextBoolean();
        int regionSeed = random.nextInt();
        double regionScale = 0.35 * Math.max(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double region = everywhere ? 1
                        : ValueNoise.smooth(ValueNoise.sharpen(ValueNoise.fbm(regionSeed, x / regionScale,
                        y / regionScale, 2), 3));
                double gain = 1 + 2 * contrast * region * (pattern.value(x + 0.5, y + 0.5) - 0.5);
                int i = y * width + x;
                red[i] *= gain;
                green[i] *= gain;
                blue[i] *= gain;
            }
        }
    }

    /** A background-class shape: flat or with a distractor texture, partly transparent, mask untouched. */
    private void paintClutter() {
        BlobShape shape = randomShape();
        double[] colour = tint(random);
        TexturePattern pattern = switch (random.nextInt(3)) {
            case 0 -> new TexturePattern.FineNoise(random.nextInt(), 1.2 + 1.8 * random.nextDouble());
            case 1 -> new TexturePattern.Blotches(random.nextInt(), 4 + 7 * random.nextDouble());
            default -> null;
        };
        double contrast = 0.2 + 0.3 * random.nextDouble();
        double opacity = 0.4 + 0.5 * random.nextDouble();
        Gradient shading = randomGradient(shape.centerX(), shape.centerY(), shape.meanRadius(), 0.25);
        for (int y = shape.minY(); y < shape.maxY(height); y++) {
            for (int x = shape.minX(); x < shape.maxX(width); x++) {
                double coverage = shape.coverage(x, y);
                if (coverage > 0) {
                    double t = pattern == null ? 0.5 : pattern.value(x + 0.5, y + 0.5);
                    double gain = (1 + 2 * contrast * (t - 0.5)) * shading.at(x + 0.5, y + 0.5);
                    blend(y * width + x, coverage * opacity, colour, colour, gain, 0);
                }
            }
        }
    }

    /** An object of class {@code classId}: its texture at a random scale, angle and tint, opaque, mask set. */
    private void paintObject(int classId) {
        BlobShape shape = randomShape();
        TexturePattern pattern = TexturePattern.forClass(classId, random);
        // Dark and light straddle the tint, so that an object's mean colour is its tint, like a background's.
        double[] colour = tint(random);
        double contrast = 0.2 + 0.3 * random.nextDouble();
        double[] dark = new double[3];
        double[] light = new double[3];
        for (int c = 0; c < 3; c++) {
            double jitter = 0.08 * (random.nextDouble() - 0.5);
            dark[c] = colour[c] * (1 - contrast + jitter);
            light[c] = colour[c] * (1 + contrast - jitter);
        }
        double offsetX = random.nextDouble() * 1000;
        double offsetY = random.nextDouble() * 1000;
        Gradient shading = randomGradient(shape.centerX(), shape.centerY(), shape.meanRadius(), 0.25);
        for (int y = shape.minY(); y < shape.maxY(height); y++) {
            for (int x = shape.minX(); x < shape.maxX(width); x++) {
                double coverage = shape.coverage(x, y);
                if (coverage > 0) {
                    double t = pattern.value(x + 0.5 + offsetX, y + 0.5 + offsetY);
                    blend(y * width + x, coverage, dark, light, shading.at(x + 0.5, y + 0.5), t);
                }
                if (shape.contains(x + 0.5, y + 0.5)) {
                    classIds[y * width + x] = classId;
                }
            }
        }
    }

    private BlobShape randomShape() {
        // Skewed towards larger shapes and centred away from the border, for about 8% of the pixels per class.
        double share = MIN_OBJECT_SHARE + (MAX_OBJECT_SHARE - MIN_OBJECT_SHARE) * Math.sqrt(random.nextDouble());
        double radius = share * Math.max(width, height) / 2;
        double centerX = (0.1 + 0.8 * random.nextDouble()) * width;
        double centerY = (0.1 + 0.8 * random.nextDouble()) * height;
        return BlobShape.random(centerX, centerY, radius, random);
    }

    /** Mixes {@code lerp(dark, light, t) * gain} over pixel {@code i} with weight {@code alpha}. */
    private void blend(int i, double alpha, double[] dark, double[] light, double gain, double t) {
        red[i] = (float) ValueNoise.lerp(red[i], ValueNoise.lerp(dark[0], light[0], t) * gain, alpha);
        green[i] = (float) ValueNoise.lerp(green[i], ValueNoise.lerp(dark[1], light[1], t) * gain, alpha);
        blue[i] = (float) ValueNoise.lerp(blue[i], ValueNoise.lerp(dark[2], light[2], t) * gain, alpha);
    }

    /** A brightness ramp through {@code (x, y)}: 1 there, {@code 1 +- strength} at {@code reach} pixels away. */
    private record Gradient(double x, double y, double dx, double dy) {
        double at(double px, double py) {
            return 1 + (px - x) * dx + (py - y) * dy;
        }
    }

    private Gradient randomGradient(double x, double y, double reach, double maxStrength) {
        double angle = random.nextDouble() * 2 * Math.PI;
        double strength = maxStrength * random.nextDouble() / reach;
        return new Gradient(x, y, StrictMath.cos(angle) * strength, StrictMath.sin(angle) * strength);
    }

    /** Blur of random strength (or none), sensor noise of random strength, quantised to {@code 0xRRGGBB}. */
    private int[] finish() {
        if (random.nextBoolean()) {
            double amount = 0.3 + 0.7 * random.nextDouble();
            blur(red, amount);
            blur(green, amount);
            blur(blue, amount);
        }
        double sigma = 1.5 + 4.5 * random.nextDouble();
        int[] rgb = new int[width * height];
        for (int i = 0; i < rgb.length; i++) {
            double luma = sigma * approximateGaussian();
            rgb[i] = toByte(red[i] + luma + 0.4 * sigma * approximateGaussian()) << 16
                    | toByte(green[i] + luma + 0.4 * sigma * approximateGaussian()) << 8
                    | toByte(blue[i] + luma + 0.4 * sigma * approximateGaussian());
        }
        return rgb;
    }

    /** Mixes {@code channel} with its 3 x 3 binomial blur (edges clamped) by {@code amount}. */
    private void blur(float[] channel, double amount) {
        float[] copy = channel.clone();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double sum = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    int row = Math.min(height - 1, Math.max(0, y + dy)) * width;
                    for (int dx = -1; dx <= 1; dx++) {
                        int column = Math.min(width - 1, Math.max(0, x + dx));
                        sum += copy[row + column] * (dx == 0 ? 2 : 1) * (dy == 0 ? 2 : 1);
                    }
                }
                channel[y * width + x] = (float) ValueNoise.lerp(copy[y * width + x], sum / 16, amount);
            }
        }
    }

    /** Mean 0, standard deviation 1, from three uniforms (no library Gaussian, whose algorithm may change). */
    private double approximateGaussian() {
        return (random.nextDouble() + random.nextDouble() + random.nextDouble() - 1.5) * 2;
    }

    private static int toByte(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
