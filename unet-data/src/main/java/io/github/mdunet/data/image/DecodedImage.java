package io.github.mdunet.data.image;

/**
 * A decoded image as planar floats: {@code pixels[c * height * width + y * width + x]}, raw values in 0-255 (a
 * 16-bit file's {@code value / 257}, fractions kept), channels in RGB order (or one grey channel). Not copied: owners
 * must not share and mutate it.
 *
 * @param channels 1 (grey) or 3 (RGB)
 * @param height   rows
 * @param width    columns
 * @param pixels   {@code channels * height * width} values, CHW
 */
public record DecodedImage(int channels, int height, int width, float[] pixels) {

    public DecodedImage {
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
     * As a picture for display: RGB, or grey replicated, values rounded and clamped to 0-255. Used for overlays, so
     * that they show the image as it was read (upright after its EXIF orientation), not the raw file.
     */
    public java.awt.image.BufferedImage toPicture() {
        java.awt.image.BufferedImage picture = new java.awt.image.BufferedImage(width, height,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
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

    private static int byteOf(float value) {
        return Math.max(0, Math.min(255, Math.round(value)));
    }

    /** The value of channel {@code c} at row {@code y}, column {@code x}. */
    public float at(int c, int y, int x) {
        return pixels[(c * height + y) * width + x];
    }
}
