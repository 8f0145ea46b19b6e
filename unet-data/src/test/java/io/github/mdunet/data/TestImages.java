package io.github.mdunet.data;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
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

    /** A 16-bit greyscale PNG (or TIFF by extension) of {@code values}, row by row. */
    public static Path grey16(Path file, int width, int height, int[] values) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setSamples(0, 0, width, height, 0, values);
        return write(image, file);
    }

    /** A 16-bit RGB PNG (or TIFF by extension) from one {@code [r, g, b]} triple of 0-65535 samples per pixel. */
    public static Path rgb16(Path file, int width, int height, int[] samples) {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(width, height);
        raster.setPixels(0, 0, width, height, samples);
        return write(new BufferedImage(model, raster, false, null), file);
    }

    /** A 32-bit floating-point greyscale TIFF (a depth that is refused: its scale is the data's). */
    public static Path float32(Path file, int width, int height) {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_FLOAT);
        return write(new BufferedImage(model, model.createCompatibleWritableRaster(width, height), false, null),
                file);
    }

    /** A palette (indexed-colour) PNG with the given palette colours and indices. */
    public static Path palette(Path file, int width, int height, int[] paletteRgb, int[] indices) {
        return indexed(file, 8, width, height, paletteRgb, indices);
    }

    /**
     * An indexed-colour image of {@code bits} bits per pixel (1, 2, 4 or 8) with the given palette colours and
     * indices, in the format of the file's extension (PNG, BMP).
     */
    public static Path indexed(Path file, int bits, int width, int height, int[] paletteRgb, int[] indices) {
        byte[] r = new byte[paletteRgb.length];
        byte[] g = new byte[paletteRgb.length];
        byte[] b = new byte[paletteRgb.length];
        for (int i = 0; i < paletteRgb.length; i++) {
            r[i] = (byte) (paletteRgb[i] >> 16);
            g[i] = (byte) (paletteRgb[i] >> 8);
            b[i] = (byte) paletteRgb[i];
        }
        IndexColorModel model = new IndexColorModel(bits, paletteRgb.length, r, g, b);
        BufferedImage image = new BufferedImage(width, height,
                bits < 8 ? BufferedImage.TYPE_BYTE_BINARY : BufferedImage.TYPE_BYTE_INDEXED, model);
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

    /**
     * A JPEG of {@code width x height} in blocks: {@code colours[row][column]} ({@code 0xRRGGBB}) fills block
     * {@code (row, column)} of {@code width / columns x height / rows} pixels.
     */
    public static Path blocks(Path file, int width, int height, int[][] colours) {
        int[] rgb = new int[width * height];
        int blockHeight = height / colours.length;
        int blockWidth = width / colours[0].length;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                rgb[y * width + x] = colours[y / blockHeight][x / blockWidth];
            }
        }
        return rgb(file, width, height, rgb);
    }

    /**
     * Inserts an EXIF segment (APP1) with orientation tag {@code orientation} right after the JPEG's start marker, as
     * a camera writes it; {@code bigEndian} chooses the TIFF byte order ("MM" or "II").
     */
    public static Path withExifOrientation(Path jpeg, int orientation, boolean bigEndian) {
        java.nio.ByteBuffer tiff = java.nio.ByteBuffer.allocate(26)
                .order(bigEndian ? java.nio.ByteOrder.BIG_ENDIAN : java.nio.ByteOrder.LITTLE_ENDIAN);
        tiff.put((byte) (bigEndian ? 'M' : 'I')).put((byte) (bigEndian ? 'M' : 'I')).putShort((short) 42).putInt(8);
        tiff.putShort((short) 1); // one directory entry
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0); // no next directory
        byte[] exif = ("Exif\0\0").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        int length = 2 + exif.length + tiff.capacity();
        try {
            byte[] original = Files.readAllBytes(jpeg);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            out.write(original, 0, 2); // SOI
            out.write(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (length >> 8), (byte) length});
            out.write(exif);
            out.write(tiff.array());
            out.write(original, 2, original.length - 2);
            return Files.write(jpeg, out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A CMYK JPEG as print software writes it: every pixel {@code cmyk} ink (0-255 each), stored inverted as Adobe does
     * (255 - ink) behind an Adobe segment (APP14, no colour transform). Written with the JDK's encoder, which stores a
     * four-band raster as it is.
     */
    public static Path cmykJpeg(Path file, int width, int height, int[] cmyk) {
        java.awt.image.WritableRaster raster = java.awt.image.Raster.createInterleavedRaster(
                java.awt.image.DataBuffer.TYPE_BYTE, width, height, 4, null);
        int[] stored = java.util.Arrays.stream(cmyk).map(ink -> 255 - ink).toArray();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setPixel(x, y, stored);
            }
        }
        javax.imageio.ImageWriter writer = java.util.stream.StreamSupport.stream(java.util.Spliterators
                        .spliteratorUnknownSize(ImageIO.getImageWritersByFormatName("jpeg"), 0), false)
                .filter(w -> w.getClass().getName().startsWith("com.sun.")).findFirst().orElseThrow();
        try {
            java.io.ByteArrayOutputStream encoded = new java.io.ByteArrayOutputStream();
            try (javax.imageio.stream.ImageOutputStream out = ImageIO.createImageOutputStream(encoded)) {
                writer.setOutput(out);
                writer.write(null, new javax.imageio.IIOImage(raster, null, null), null);
            } finally {
                writer.dispose();
            }
            byte[] jpeg = encoded.toByteArray();
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            out.write(jpeg, 0, 2); // SOI
            out.write(new byte[] {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0});
            out.write(jpeg, 2, jpeg.length - 2);
            Files.createDirectories(file.getParent());
            return Files.write(file, out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A noisy JPEG cut to {@code percent} of its bytes: the decoder only warns and fills the rest with grey. */
    public static Path truncatedJpeg(Path file, int side, int percent) {
        java.util.Random random = new java.util.Random(1);
        int[] rgb = new int[side * side];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = random.nextInt(1 << 24);
        }
        rgb(file, side, side, rgb);
        try {
            byte[] bytes = Files.readAllBytes(file);
            return Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length * percent / 100));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A PNG whose header declares {@code width x height} RGB pixels, with (far too little) image data: what a corrupt
     * or hostile file looks like to a reader that trusts its header.
     */
    public static Path pngHeaderOnly(Path file, int width, int height) {
        try {
            Files.createDirectories(file.getParent());
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
            java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height)
                    .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
            chunk(out, "IHDR", header.array());
            chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
            chunk(out, "IEND", new byte[0]);
            return Files.write(file, out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        byte[] name = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(name);
        crc.update(data);
        out.write(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(name);
        out.write(data);
        out.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
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
