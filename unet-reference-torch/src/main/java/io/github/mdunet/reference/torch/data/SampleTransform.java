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
        for (int y = 0; y < height; y++) {
            double sourceY = clamp(offsetY + (y + 0.5) / scale - 0.5, height);
            int nearestY = sourceRow(Math.min(height - 1, (int) Math.floor(offsetY + (y + 0.5) / scale)), height);
            int y0 = (int) Math.floor(sourceY);
            int y1 = Math.min(y0 + 1, height - 1);
            double weightY = sourceY - y0;
            int row0 = sourceRow(y0, height);
            int row1 = sourceRow(y1, height);
            for (int x = 0; x < width; x++) {
                double sourceX = clamp(offsetX + (x + 0.5) / scale - 0.5, width);
                int nearestX = sourceColumn(Math.min(width - 1, (int) Math.floor(offsetX + (x + 0.5) / scale)), width);
                int x0 = (int) Math.floor(sourceX);
                int x1 = Math.min(x0 + 1, width - 1);
                double weightX = sourceX - x0;
                int column0 = sourceColumn(x0, width);
                int column1 = sourceColumn(x1, width);
                labelsOut[labelOffset + y * width + x] = Byte.toUnsignedInt(mask[nearestY * width + nearestX]);
                for (int c = 0; c < shape.channels(); c++) {
                    int base = c * plane;
                    double top = image[base + row0 * width + column0] * (1 - weightX)
                            + image[base + row0 * width + column1] * weightX;
                    double bottom = image[base + row1 * width + column0] * (1 - weightX)
                            + image[base + row1 * width + column1] * weightX;
                    imageOut[imageOffset + base + y * width + x] = (float) (top * (1 - weightY) + bottom * weightY);
                }
            }
        }
    }

    private int sourceRow(int flippedRow, int height) {
        return flipVertical ? height - 1 - flippedRow : flippedRow;
    }

    private int sourceColumn(int flippedColumn, int width) {
        return flipHorizontal ? width - 1 - flippedColumn : flippedColumn;
    }

    private static double clamp(double coordinate, int size) {
        return Math.max(0.0, Math.min(size - 1, coordinate));
    }
}
