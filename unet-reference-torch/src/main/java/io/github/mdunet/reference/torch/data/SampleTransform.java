package io.github.mdunet.reference.torch.data;

import io.github.mdunet.reference.torch.spec.ImageShape;
import java.util.Random;

/**
 * One sample's augmentation: flips, then a zoom by {@code scale} >= 1 into the window whose top-left corner is
 * ({@code offsetY}, {@code offsetX}) in pixels. {@link #apply} writes the transformed image [C, H, W] and mask
 * [H, W] into batch arrays.
 */
public record SampleTransform(boolean flipHorizontal, boolean flipVertical, double scale, double offsetY,
        double offsetX) {

    /** No change. */
    public static final SampleTransform IDENTITY = new SampleTransform(false, false, 1.0, 0.0, 0.0);

    public SampleTransform {
        if (!(scale >= 1.0)) {
            throw new IllegalArgumentException("scale must be >= 1 (zoom in only) but was " + scale);
        }
    }

    /**
     * Draws a transform: for flips two booleans (horizontal, then vertical), for flips-zoom then a double for the
     * scale and, when it is above 1, two more for the window position.
     */
    public static SampleTransform draw(Augmentation augmentation, Random random, ImageShape shape) {
        if (augmentation == Augmentation.NONE) {
            return IDENTITY;
        }
        boolean horizontal = random.nextBoolean();
        boolean vertical = random.nextBoolean();
        if (augmentation == Augmentation.FLIPS) {
            return new SampleTransform(horizontal, vertical, 1.0, 0.0, 0.0);
        }
        double drawn = Augmentation.MIN_SCALE + (Augmentation.MAX_SCALE - Augmentation.MIN_SCALE) * random.nextDouble();
        double scale = Math.max(1.0, drawn);
        if (scale == 1.0) {
            return new SampleTransform(horizontal, vertical, 1.0, 0.0, 0.0);
        }
        double offsetY = random.nextDouble() * (shape.height() - shape.height() / scale);
        double offsetX = random.nextDouble() * (shape.width() - shape.width() / scale);
        return new SampleTransform(horizontal, vertical, scale, offsetY, offsetX);
    }

    /**
     * Writes the transformed sample: image values at {@code imageOut[imageOffset + (c * H + y) * W + x]}, labels at
     * {@code labelsOut[labelOffset + y * W + x]}.
     */
    public void apply(ImageShape shape, float[] image, byte[] mask, float[] imageOut, int imageOffset,
            long[] labelsOut, int labelOffset) {
        int height = shape.height();
        int width = shape.width();
        int plane = height * width;
        AxisSample[] columns = new AxisSample[width];
        for (int x = 0; x < width; x++) {
            columns[x] = AxisSample.of(x, offsetX, scale, width, flipHorizontal);
        }
        for (int y = 0; y < height; y++) {
            AxisSample row = AxisSample.of(y, offsetY, scale, height, flipVertical);
            for (int x = 0; x < width; x++) {
                AxisSample column = columns[x];
                labelsOut[labelOffset + y * width + x] = Byte.toUnsignedInt(mask[row.nearest() * width
                        + column.nearest()]);
                double weightX = column.secondWeight();
                for (int c = 0; c < shape.channels(); c++) {
                    int base = c * plane;
                    double top = image[base + row.first() * width + column.first()] * (1 - weightX)
                            + image[base + row.first() * width + column.second()] * weightX;
                    double bottom = image[base + row.second() * width + column.first()] * (1 - weightX)
                            + image[base + row.second() * width + column.second()] * weightX;
                    imageOut[imageOffset + base + y * width + x] = (float) (top * (1 - row.secondWeight())
                            + bottom * row.secondWeight());
                }
            }
        }
    }

    /**
     * Where output index {@code i} samples one axis of {@code size} pixels, after the flip: the nearest source index
     * (for the mask), and the two bilinear neighbours with the weight of the second (for the image).
     */
    private record AxisSample(int nearest, int first, int second, double secondWeight) {

        static AxisSample of(int i, double offset, double scale, int size, boolean flip) {
            double source = clamp(offset + (i + 0.5) / scale - 0.5, size);
            int nearest = Math.min(size - 1, (int) Math.floor(offset + (i + 0.5) / scale));
            int lower = (int) Math.floor(source);
            int upper = Math.min(lower + 1, size - 1);
            return new AxisSample(flipped(nearest, size, flip), flipped(lower, size, flip), flipped(upper, size, flip),
                    source - lower);
        }

        private static int flipped(int index, int size, boolean flip) {
            return flip ? size - 1 - index : index;
        }
    }

    private static double clamp(double coordinate, int size) {
        return Math.max(0.0, Math.min(size - 1, coordinate));
    }
}
