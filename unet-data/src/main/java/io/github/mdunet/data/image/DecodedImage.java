package io.github.mdunet.data.image;

/**
 * A decoded image as planar floats: {@code pixels[c * height * width + y * width + x]}, raw values in 0-255,
 * channels in RGB order (or one grey channel). Not copied: owners must not share and mutate it.
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

    /** The value of channel {@code c} at row {@code y}, column {@code x}. */
    public float at(int c, int y, int x) {
        return pixels[(c * height + y) * width + x];
    }
}
