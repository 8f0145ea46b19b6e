package io.github.mdunet.data.synthetic;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Synthetic "photographs" for super-resolution, made offline so that a fresh machine can train and test: each is a
 * procedural background (value-noise textures, wood-like rings, sine gratings over a wide range of periods, or a
 * gradient), antialiased shapes (discs, rings, boxes, polygons, lines of several widths, some with gradient fills)
 * and text in several fonts at sizes from 7 to 40 pixels. Fine detail at every scale, sharp and soft edges, and
 * lettering are what upscaling has to restore.
 *
 * <p>{@link #write} puts {@code scene_00000.png} (RGB) files into a folder, and removes the scenes an earlier call left
 * there beyond its count; everything is a pure function of the seed (and of the fonts installed: Java's logical fonts
 * map to the platform's).
 */
public final class SyntheticScenes {

    private static final List<String> FONTS = List.of(Font.SANS_SERIF, Font.SERIF, Font.MONOSPACED, Font.DIALOG);
    private static final List<String> WORDS = List.of("super", "resolution", "U-Net", "pixel", "shuffle", "JVM",
            "Deeplearning4j", "sub-pixel", "zoom", "detail", "edge", "texture", "0123456789", "ABCDEFGHIJ",
            "klmnopqrst", "uvwxyz", "MOIRE", "grid", "#42", "x2 x4", "quick brown fox", "LAZY DOG", "(c) 2026",
            "wavelet", "Fourier", "aliasing");

    /** The names {@link #write} gives its scenes ({@code scene_00000.png}, more digits past 99999). */
    private static final NumberedFiles SCENES = new NumberedFiles("scene");

    private SyntheticScenes() {
    }

    /**
     * Writes {@code count} scenes of {@code width x height} to {@code folder} as PNG, replacing those of the same
     * names, and deletes the scenes an earlier call wrote there beyond {@code count} ({@code scene_<number>.png}
     * from {@code count} on), so that the folder's scenes are exactly these; its other files are left alone.
     *
     * @return the files written, in order
     */
    public static List<Path> write(Path folder, int count, int width, int height, long seed) {
        if (count < 1 || width < 16 || height < 16) {
            throw new IllegalArgumentException("SyntheticScenes.write needs count >= 1 and sides >= 16 but got count "
                    + count + ", " + width + "x" + height);
        }
        try {
            Files.createDirectories(folder);
            Path[] files = new Path[count];
            for (int i = 0; i < count; i++) {
                BufferedImage image = render(width, height, new SplittableRandom(seed * 1_000_003L + i));
                files[i] = folder.resolve(SCENES.name(i));
                ImageIO.write(image, "png", files[i].toFile());
            }
            SCENES.deleteFrom(folder, count);
            return List.of(files);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write synthetic scenes to " + folder, e);
        }
    }

    /** One scene of {@code width x height}, RGB. */
    public static BufferedImage render(int width, int height, SplittableRandom random) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        background(image, random);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            int shapes = 3 + random.nextInt(8);
            for (int i = 0; i < shapes; i++) {
                shape(g, width, height, random);
            }
            int texts = 1 + random.nextInt(4);
            for (int i = 0; i < texts; i++) {
                text(g, width, height, random);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void background(BufferedImage image, SplittableRandom random) {
        int width = image.getWidth();
        int height = image.getHeight();
        float[] low = colour(random);
        float[] high = colour(random);
        int kind = random.nextInt(4);
        ValueNoise noise = new ValueNoise(random.nextLong());
        double period = 3 + random.nextDouble() * 40;
        double angle = random.nextDouble() * Math.PI;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double noiseScale = 4 + random.nextDouble() * 28;
        double centreX = random.nextDouble() * width;
        double centreY = random.nextDouble() * height;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double t = switch (kind) {
                    case 0 -> noise.turbulence(x / noiseScale, y / noiseScale, 4);
                    case 1 -> 0.5 + 0.5 * Math.sin(2 * Math.PI * Math.hypot(x - centreX, y - centreY) / period
                            + 3 * noise.turbulence(x / noiseScale, y / noiseScale, 3));
                    case 2 -> 0.5 + 0.5 * Math.sin(2 * Math.PI * (x * cos + y * sin) / period);
                    default -> ((x * cos + y * sin) / (width + height) + 0.5) * 0.8
                            + 0.2 * noise.turbulence(x / noiseScale, y / noiseScale, 2);
                };
                t = Math.max(0, Math.min(1, t));
                image.setRGB(x, y, rgb(low[0] + (high[0] - low[0]) * t, low[1] + (high[1] - low[1]) * t,
                        low[2] + (high[2] - low[2]) * t));
            }
        }
    }

    private static void shape(Graphics2D g, int width, int height, SplittableRandom random) {
        double size = Math.min(width, height) * (0.05 + random.nextDouble() * 0.45);
        double x = random.nextDouble() * width;
        double y = random.nextDouble() * height;
        Shape shape = switch (random.nextInt(5)) {
            case 0 -> new Ellipse2D.Double(x - size / 2, y - size / 3, size, size * (0.3 + random.nextDouble()));
            case 1 -> new Rectangle2D.Double(x - size / 2, y - size / 2, size, size * (0.2 + random.nextDouble()));
            case 2 -> new RoundRectangle2D.Double(x - size / 2, y - size / 2, size, size * 0.6, size / 4, size / 4);
            case 3 -> polygon(x, y, size, random);
            default -> new Line2D.Double(x, y, x + (random.nextDouble() - 0.5) * 2 * size,
                    y + (random.nextDouble() - 0.5) * 2 * size);
        };
        AffineTransform turn = AffineTransform.getRotateInstance(random.nextDouble() * Math.PI, x, y);
        shape = turn.createTransformedShape(shape);
        float[] c = colour(random);
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.6f + 0.4f * (float) random.nextDouble()));
        if (random.nextInt(4) == 0) {
            float[] d = colour(random);
            g.setPaint(new GradientPaint((float) x, (float) y, new Color(c[0], c[1], c[2]), (float) (x + size),
                    (float) (y + size), new Color(d[0], d[1], d[2])));
        } else {
            g.setPaint(new Color(c[0], c[1], c[2]));
        }
        boolean outline = shape.getBounds2D().getWidth() < 1 || random.nextInt(3) == 0;
        if (outline) {
            g.setStroke(new BasicStroke((float) (0.7 + random.nextDouble() * random.nextDouble() * 6)));
            g.draw(shape);
        } else {
            g.fill(shape);
        }
        g.setComposite(AlphaComposite.SrcOver);
    }

    private static Polygon polygon(double x, double y, double size, SplittableRandom random) {
        int corners = 3 + random.nextInt(5);
        Polygon polygon = new Polygon();
        for (int i = 0; i < corners; i++) {
            double angle = 2 * Math.PI * i / corners + random.nextDouble() * 0.5;
            double radius = size / 2 * (0.5 + random.nextDouble() * 0.5);
            polygon.addPoint((int) Math.round(x + radius * Math.cos(angle)), (int) Math.round(y + radius
                    * Math.sin(angle)));
        }
        return polygon;
    }

    private static void text(Graphics2D g, int width, int height, SplittableRandom random) {
        int size = 7 + (int) Math.round(Math.pow(random.nextDouble(), 1.5) * 33);
        int style = random.nextInt(3) == 0 ? Font.BOLD : random.nextInt(4) == 0 ? Font.ITALIC : Font.PLAIN;
        g.setFont(new Font(FONTS.get(random.nextInt(FONTS.size())), style, size));
        String text = WORDS.get(random.nextInt(WORDS.size()));
        if (random.nextBoolean()) {
            text = text + " " + WORDS.get(random.nextInt(WORDS.size()));
        }
        boolean dark = random.nextBoolean();
        float shade = dark ? (float) (random.nextDouble() * 0.25) : (float) (0.75 + random.nextDouble() * 0.25);
        float[] tint = colour(random);
        g.setPaint(new Color(mix(shade, tint[0]), mix(shade, tint[1]), mix(shade, tint[2])));
        AffineTransform saved = g.getTransform();
        double x = random.nextDouble() * width * 0.7 - size;
        double y = size + random.nextDouble() * (height - size);
        g.rotate((random.nextDouble() - 0.5) * 0.6, x, y);
        g.drawString(text, (float) x, (float) y);
        g.setTransform(saved);
    }

    private static float mix(float shade, float tint) {
        return Math.max(0, Math.min(1, 0.8f * shade + 0.2f * tint));
    }

    private static float[] colour(SplittableRandom random) {
        return new float[] {(float) random.nextDouble(), (float) random.nextDouble(), (float) random.nextDouble()};
    }

    private static int rgb(double r, double g, double b) {
        return (channel(r) << 16) | (channel(g) << 8) | channel(b);
    }

    private static int channel(double value) {
        return (int) Math.round(Math.max(0, Math.min(1, value)) * 255);
    }

    /** Smooth value noise on an integer lattice, with fractal turbulence. */
    private static final class ValueNoise {
        private final long seed;

        ValueNoise(long seed) {
            this.seed = seed;
        }

        double turbulence(double x, double y, int octaves) {
            double sum = 0;
            double amplitude = 0.5;
            double total = 0;
            for (int o = 0; o < octaves; o++) {
                sum += amplitude * at(x, y);
                total += amplitude;
                x *= 2;
                y *= 2;
                amplitude /= 2;
            }
            return sum / total;
        }

        private double at(double x, double y) {
            int x0 = (int) Math.floor(x);
            int y0 = (int) Math.floor(y);
            double fx = smooth(x - x0);
            double fy = smooth(y - y0);
            double top = lattice(x0, y0) * (1 - fx) + lattice(x0 + 1, y0) * fx;
            double bottom = lattice(x0, y0 + 1) * (1 - fx) + lattice(x0 + 1, y0 + 1) * fx;
            return top * (1 - fy) + bottom * fy;
        }

        private static double smooth(double t) {
            return t * t * (3 - 2 * t);
        }

        private double lattice(int x, int y) {
            long h = seed ^ (x * 0x9E3779B97F4A7C15L) ^ (y * 0xC2B2AE3D27D4EB4FL);
            h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L;
            h = (h ^ (h >>> 29)) * 0x94D049BB133111EBL;
            return ((h >>> 11) & ((1L << 53) - 1)) / (double) (1L << 53);
        }
    }
}
