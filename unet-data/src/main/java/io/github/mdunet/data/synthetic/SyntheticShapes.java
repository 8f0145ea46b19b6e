package io.github.mdunet.data.synthetic;

import io.github.mdunet.data.folder.ImageToImageFolderConfig;
import io.github.mdunet.data.folder.SegmentationFolderConfig;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.superres.Degradation;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * A synthetic segmentation dataset: 1 to 4 shapes per image on a textured background (two-colour gradient, smooth
 * value noise and pixel noise, all low in saturation). Classes: {@code 0} background, {@code 1} disc (reds),
 * {@code 2} rectangle at any angle (greens), {@code 3} triangle (blues); each shape's colour varies, is shaded and
 * noisy, and later shapes occlude earlier ones, so the task needs both colour and shape but is learnable.
 *
 * <p>{@link #write} puts {@code images/shapes_00000.png} (RGB) and {@code masks/shapes_00000.png} (8-bit grey
 * class ids) under a folder with {@link SegmentationFolderWriter}, the layout {@link SegmentationFolderConfig#of}
 * reads, so demos and tests go through the same loader as real data. Everything is a pure function of the seed.
 */
public final class SyntheticShapes {

    /** Class names by id. */
    public static final List<String> CLASS_NAMES = List.of("background", "disc", "rectangle", "triangle");
    /** Number of class ids. */
    public static final int NUM_CLASSES = CLASS_NAMES.size();

    /** The names of the samples' files: {@code shapes_00000.png} on. */
    private static final NumberedFiles SHAPES = new NumberedFiles("shapes");

    private SyntheticShapes() {
    }

    /**
     * One rendered sample.
     *
     * @param size side length
     * @param rgb  {@code size*size} pixels as {@code 0xRRGGBB}, row-major
     * @param ids  {@code size*size} class ids, row-major
     */
    public record Sample(int size, int[] rgb, int[] ids) {
    }

    /**
     * Writes {@code count} image/mask pairs of {@code size x size} to {@code dir/images} and {@code dir/masks},
     * replacing those of the same names, and deletes the pairs an earlier call wrote there beyond {@code count}
     * ({@code shapes_<number>.png} from {@code count} on), so that the folders' samples are exactly these; their
     * other files are left alone.
     *
     * @return the configuration that reads them ({@link #NUM_CLASSES} classes, no split)
     */
    public static SegmentationFolderConfig write(Path dir, int count, int size, long seed) {
        check(count, size);
        SegmentationFolderWriter writer = SegmentationFolderWriter.create(dir);
        for (int i = 0; i < count; i++) {
            Sample sample = render(size, new SplittableRandom(seed * 1_000_003L + i));
            writer.write(SHAPES.stem(i), size, size, sample.rgb(), sample.ids());
        }
        deleteFrom(dir, List.of(SegmentationFolderConfig.IMAGES, SegmentationFolderConfig.MASKS), count);
        return SegmentationFolderConfig.of(dir, NUM_CLASSES);
    }

    /**
     * Writes {@code count} super-resolution pairs as a U-Net trains on them: {@code dir/targets} rendered at
     * {@code size x size} and {@code dir/inputs} made from them by {@link Degradation} (area-averaged downscaling by
     * {@code scaleFactor}, then bicubic upscaling back to {@code size x size}), so input and target have one size.
     * Pairs an earlier call left beyond {@code count} are deleted, as {@link #write} does.
     *
     * @return the configuration that reads them: scale factor 1, RGB to RGB, no split
     */
    public static ImageToImageFolderConfig writeImageToImage(Path dir, int count, int size, int scaleFactor,
                                                             long seed) {
        check(count, size);
        if (scaleFactor < 2 || scaleFactor > 8 || size % scaleFactor != 0) {
            throw new IllegalArgumentException("scaleFactor must be in [2, 8] and divide size " + size + " but was "
                    + scaleFactor);
        }
        Degradation degradation = new Degradation(scaleFactor);
        try {
            Files.createDirectories(dir.resolve(ImageToImageFolderConfig.INPUTS));
            Files.createDirectories(dir.resolve(ImageToImageFolderConfig.TARGETS));
            for (int i = 0; i < count; i++) {
                Sample sample = render(size, new SplittableRandom(seed * 1_000_003L + i));
                BufferedImage target = SegmentationFolderWriter.toRgbImage(sample.rgb(), size, size);
                String name = SHAPES.name(i);
                ImageIO.write(degradation.input(planar(sample.rgb(), size)).toPicture(), "png",
                        dir.resolve(ImageToImageFolderConfig.INPUTS).resolve(name).toFile());
                ImageIO.write(target, "png", dir.resolve(ImageToImageFolderConfig.TARGETS).resolve(name).toFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write synthetic shapes to " + dir, e);
        }
        deleteFrom(dir, List.of(ImageToImageFolderConfig.INPUTS, ImageToImageFolderConfig.TARGETS), count);
        return ImageToImageFolderConfig.of(dir, 1);
    }

    /** Deletes the pairs an earlier call left in {@code folders} of {@code dir} from number {@code first} on. */
    private static void deleteFrom(Path dir, List<String> folders, int first) {
        try {
            for (String folder : folders) {
                SHAPES.deleteFrom(dir.resolve(folder), first);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the synthetic shapes an earlier call left in " + dir, e);
        }
    }

    /** {@code 0xRRGGBB} pixels of a {@code size x size} image as planar RGB, 0-255. */
    private static DecodedImage planar(int[] rgb, int size) {
        int plane = size * size;
        float[] pixels = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            pixels[i] = (rgb[i] >> 16) & 0xFF;
            pixels[plane + i] = (rgb[i] >> 8) & 0xFF;
            pixels[2 * plane + i] = rgb[i] & 0xFF;
        }
        return DecodedImage.eightBit(3, size, size, pixels);
    }

    /** Renders one sample from {@code random}. */
    public static Sample render(int size, SplittableRandom random) {
        int n = size * size;
        float[] r = new float[n];
        float[] g = new float[n];
        float[] b = new float[n];
        int[] ids = new int[n];
        background(size, random, r, g, b);
        int shapes = 1 + random.nextInt(4);
        for (int s = 0; s < shapes; s++) {
            int cls = 1 + random.nextInt(3);
            double radius = size * (0.12 + 0.14 * random.nextDouble());
            double cx = radius * 0.5 + random.nextDouble() * (size - radius);
            double cy = radius * 0.5 + random.nextDouble() * (size - radius);
            double angle = random.nextDouble() * Math.PI;
            double aspect = 0.55 + 0.5 * random.nextDouble();
            double[] triangle = triangle(cx, cy, radius * 1.25, random);
            float[] colour = shapeColour(cls, random);
            double shadeX = Math.cos(angle) / radius;
            double shadeY = Math.sin(angle) / radius;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double px = x + 0.5 - cx;
                    double py = y + 0.5 - cy;
                    boolean inside = switch (cls) {
                        case 1 -> px * px + py * py <= radius * radius;
                        case 2 -> {
                            double u = px * Math.cos(angle) + py * Math.sin(angle);
                            double v = -px * Math.sin(angle) + py * Math.cos(angle);
                            yield Math.abs(u) <= radius && Math.abs(v) <= radius * aspect;
                        }
                        default -> insideTriangle(x + 0.5, y + 0.5, triangle);
                    };
                    if (inside) {
                        int i = y * size + x;
                        float shade = (float) (1 + 0.15 * (px * shadeX + py * shadeY));
                        r[i] = colour[0] * shade;
                        g[i] = colour[1] * shade;
                        b[i] = colour[2] * shade;
                        ids[i] = cls;
                    }
                }
            }
        }
        int[] rgb = new int[n];
        for (int i = 0; i < n; i++) {
            float noise = (float) (random.nextGaussian() * 8);
            rgb[i] = byteOf(r[i] + noise + (float) random.nextGaussian() * 4) << 16
                    | byteOf(g[i] + noise + (float) random.nextGaussian() * 4) << 8
                    | byteOf(b[i] + noise + (float) random.nextGaussian() * 4);
        }
        return new Sample(size, rgb, ids);
    }

    private static void background(int size, SplittableRandom random, float[] r, float[] g, float[] b) {
        float[][] ends = new float[2][3];
        for (float[] end : ends) {
            float grey = 70 + 90 * (float) random.nextDouble();
            for (int c = 0; c < 3; c++) {
                end[c] = grey + (float) (random.nextDouble() - 0.5) * 40;
            }
        }
        double angle = random.nextDouble() * 2 * Math.PI;
        double dx = Math.cos(angle);
        double dy = Math.sin(angle);
        int grid = 5;
        float[] coarse = new float[(grid + 1) * (grid + 1)];
        for (int i = 0; i < coarse.length; i++) {
            coarse[i] = (float) (random.nextDouble() - 0.5) * 50;
        }
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double t = 0.5 + ((x + 0.5) / size - 0.5) * dx + ((y + 0.5) / size - 0.5) * dy;
                t = Math.max(0, Math.min(1, t));
                double gx = (x + 0.5) / size * grid;
                double gy = (y + 0.5) / size * grid;
                int x0 = Math.min((int) gx, grid - 1);
                int y0 = Math.min((int) gy, grid - 1);
                double fx = gx - x0;
                double fy = gy - y0;
                double texture = (1 - fy) * ((1 - fx) * coarse[y0 * (grid + 1) + x0]
                        + fx * coarse[y0 * (grid + 1) + x0 + 1])
                        + fy * ((1 - fx) * coarse[(y0 + 1) * (grid + 1) + x0]
                        + fx * coarse[(y0 + 1) * (grid + 1) + x0 + 1]);
                int i = y * size + x;
                r[i] = (float) ((1 - t) * ends[0][0] + t * ends[1][0] + texture);
                g[i] = (float) ((1 - t) * ends[0][1] + t * ends[1][1] + texture);
                b[i] = (float) ((1 - t) * ends[0][2] + t * ends[1][2] + texture);
            }
        }
    }

    private static float[] shapeColour(int cls, SplittableRandom random) {
        float strong = 170 + 70 * (float) random.nextDouble();
        float weakA = 30 + 80 * (float) random.nextDouble();
        float weakB = 30 + 80 * (float) random.nextDouble();
        return switch (cls) {
            case 1 -> new float[] {strong, weakA, weakB};
            case 2 -> new float[] {weakA, strong, weakB};
            default -> new float[] {weakA, weakB, strong};
        };
    }

    private static double[] triangle(double cx, double cy, double radius, SplittableRandom random) {
        double start = random.nextDouble() * 2 * Math.PI;
        double[] points = new double[6];
        for (int k = 0; k < 3; k++) {
            double a = start + k * 2 * Math.PI / 3 + (random.nextDouble() - 0.5) * 0.6;
            double rr = radius * (0.8 + 0.3 * random.nextDouble());
            points[2 * k] = cx + rr * Math.cos(a);
            points[2 * k + 1] = cy + rr * Math.sin(a);
        }
        return points;
    }

    private static boolean insideTriangle(double x, double y, double[] t) {
        double d1 = cross(x, y, t[0], t[1], t[2], t[3]);
        double d2 = cross(x, y, t[2], t[3], t[4], t[5]);
        double d3 = cross(x, y, t[4], t[5], t[0], t[1]);
        boolean negative = d1 < 0 || d2 < 0 || d3 < 0;
        boolean positive = d1 > 0 || d2 > 0 || d3 > 0;
        return !(negative && positive);
    }

    private static double cross(double x, double y, double ax, double ay, double bx, double by) {
        return (x - bx) * (ay - by) - (ax - bx) * (y - by);
    }

    private static int byteOf(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }

    private static void check(int count, int size) {
        if (count < 1 || size < 8) {
            throw new IllegalArgumentException("SyntheticShapes needs count >= 1 and size >= 8 but was count=" + count
                    + ", size=" + size);
        }
    }
}
