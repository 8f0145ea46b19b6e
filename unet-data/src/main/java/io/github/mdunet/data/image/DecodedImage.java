package io.github.mdunet.data.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;

/**
 * A decoded image as planar floats: {@code pixels[c * height * width + y * width + x]}, raw values in 0-255 (a 16-bit
 * file's {@code value / 257}, or its level on its {@link SampleDepth}'s scale, fractions kept), channels in RGB order
 * (or one grey channel), with the depth of the file it came from. Not copied: owners must not share and mutate it.
 *
 * @param channels 1 (grey) or 3 (RGB)
 * @param height   rows
 * @param width    columns
 * @param pixels   {@code channels * height * width} values, CHW
 * @param depth    the depth of the file the image was read from (or of the one it was made from); what rounding
 *                 "as a file would hold it" rounds to, and the depth {@link #toPictureAtDepth()} writes
 */
public record DecodedImage(int channels, int height, int width, float[] pixels, SampleDepth depth) {

    public DecodedImage {
        if (depth == null) {
            throw new IllegalArgumentException("DecodedImage.depth must be given (SampleDepth.EIGHT_BIT for an image"
                    + " of 8-bit values)");
        }
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("DecodedImage needs channels, height and width >= 1 but was "
                    + channels + "x" + height + "x" + width);
        }
        if (pixels.length != channels * height * width) {
            throw new IllegalArgumentException("DecodedImage.pixels must hold " + channels * height * width
                    + " values (" + channels + "x" + height + "x" + width + ") but had " + pixels.length);
        }
    }

    /**
     * An image of 8-bit levels: made without a file (synthetic scenes, tests). An image made from another takes its
     * depth with {@link #derived}.
     */
    public static DecodedImage eightBit(int channels, int height, int width, float[] pixels) {
        return new DecodedImage(channels, height, width, pixels, SampleDepth.EIGHT_BIT);
    }

    /** Other values, of the same depth: for an image made from this one (resampled, cropped, predicted). */
    public DecodedImage derived(int channels, int height, int width, float[] pixels) {
        return new DecodedImage(channels, height, width, pixels, depth);
    }

    /**
     * As a picture at this image's depth, for writing: {@link #toPicture()} for 8 bits, else 16-bit samples holding
     * the levels of its {@link SampleDepth} (0-4095 for 12 bits), the inverse of how such a file is read.
     */
    public BufferedImage toPictureAtDepth() {
        return switch (depth.container()) {
            case EIGHT_BIT -> toPicture();
            case SIXTEEN_BIT -> toSixteenBitPicture();
        };
    }

    /**
     * As a picture for display: RGB, or grey replicated, values rounded and clamped to 0-255. Used for overlays, so
     * that they show the image as it was read (upright after its EXIF orientation), not the raw file.
     */
    public BufferedImage toPicture() {
        BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        int[] rgb = new int[plane];
        for (int i = 0; i < plane; i++) {
            int r = byteOf(pixels[i]);
            int g = channels == 3 ? byteOf(pixels[plane + i]) : r;
            int b = channels == 3 ? byteOf(pixels[2 * plane + i]) : r;
            rgb[i] = r << 16 | g << 8 | b;
        }
        picture.setRGB(0, 0, width, height, rgb, 0, width);
        return picture;
    }

    /**
     * As a 16-bit picture, the inverse of how a 16-bit file of this depth is read ({@link SampleDepth#level}:
     * {@code value * 257} for 16 bits, rounded and clamped to 0-65535, or to 0-4095 for 12): grey for one channel,
     * RGB for three.
     */
    private BufferedImage toSixteenBitPicture() {
        ColorSpace space = ColorSpace.getInstance(channels == 3 ? ColorSpace.CS_sRGB : ColorSpace.CS_GRAY);
        ComponentColorModel model = new ComponentColorModel(space, false, false, Transparency.OPAQUE,
                DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(width, height);
        int plane = height * width;
        int[] samples = new int[plane];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < plane; i++) {
                samples[i] = depth.level(pixels[c * plane + i]);
            }
            raster.setSamples(0, 0, width, height, c, samples);
        }
        return new BufferedImage(model, raster, false, null);
    }

    private static int byteOf(float value) {
        return Math.max(0, Math.min(255, Math.round(value)));
    }

    /** The value of channel {@code c} at row {@code y}, column {@code x}. */
    public float at(int c, int y, int x) {
        return pixels[(c * height + y) * width + x];
    }
}
