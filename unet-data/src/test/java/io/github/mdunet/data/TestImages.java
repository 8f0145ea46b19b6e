package io.github.mdunet.data;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes small test images in the formats the loaders must accept or reject. */
public final class TestImages {

    private TestImages() {
    }

    /** An RGB PNG (or JPEG/BMP by extension) from {@code 0xRRGGBB} pixels. */
    public static Path rgb(Path file, int width, int height, int[] rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        image.setRGB(0, 0, width, height, rgb, 0, width);
        return write(image, file);
    }

    /** An RGB image of one colour. */
    public static Path solid(Path file, int width, int height, int colour) {
        int[] rgb = new int[width * height];
        java.util.Arrays.fill(rgb, colour);
        return rgb(file, width, height, rgb);
    }

    /** An 8-bit greyscale PNG of values. */
    public static Path grey(Path file, int width, int height, int[] values) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSamples(0, 0, width, height, 0, values);
        return write(image, file);
    }

    /** An 8-bit greyscale PNG of one value. */
    public static Path greyFill(Path file, int width, int height, int value) {
        int[] values = new int[width * height];
        java.util.Arrays.fill(values, value);
        return grey(file, width, height, values);
    }

    /** A 16-bit greyscale PNG. */
    public static Path grey16(Path file, int width, int height, int value) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
        int[] values = new int[width * height];
        java.util.Arrays.fill(values, value);
        image.getRaster().setSamples(0, 0, width, height, 0, values);
        return write(image, file);
    }

    /** A palette (indexed-colour) PNG with the given palette colours and indices. */
    public static Path palette(Path file, int width, int height, int[] paletteRgb, int[] indices) {
        byte[] r = new byte[paletteRgb.length];
        byte[] g = new byte[paletteRgb.length];
        byte[] b = new byte[paletteRgb.length];
        for (int i = 0; i < paletteRgb.length; i++) {
            r[i] = (byte) (paletteRgb[i] >> 16);
            g[i] = (byte) (paletteRgb[i] >> 8);
            b[i] = (byte) paletteRgb[i];
        }
        IndexColorModel model = new IndexColorModel(8, paletteRgb.length, r, g, b);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, model);
        image.getRaster().setSamples(0, 0, width, height, 0, indices);
        return write(image, file);
    }

    /** Bytes that are no image at all. */
    public static Path garbage(Path file) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, "this is not an image");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A valid PNG cut in half. */
    public static Path truncated(Path file, int width, int height) {
        int[] rgb = new int[width * height];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = i * 7919;
        }
        rgb(file, width, height, rgb);
        try {
            byte[] bytes = Files.readAllBytes(file);
            return Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(BufferedImage image, Path file) {
        try {
            Files.createDirectories(file.getParent());
            String name = file.getFileName().toString();
            String format = name.substring(name.lastIndexOf('.') + 1).replace("jpg", "jpeg");
            if (!ImageIO.write(image, format, file.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
