package io.github.mdunet.core.predict;

import java.awt.image.BufferedImage;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Turns predictions into pictures: class-id masks (one grey level per class, the id itself) and colour overlays of
 * the classes on the image.
 */
public final class MaskImages {

    /** Distinct colours for classes 0..11 (0, background, is left transparent in overlays); then they repeat. */
    public static final List<Integer> PALETTE = List.of(0x000000, 0xE6194B, 0x3CB44B, 0xFFE119, 0x4363D8, 0xF58231,
            0x911EB4, 0x46F0F0, 0xF032E6, 0xBCF60C, 0xFABEBE, 0x008080);

    private MaskImages() {
    }

    /**
     * The class of each pixel: argmax over K for {@code [K, H, W]} probabilities, or threshold 0.5 when K = 1.
     *
     * @return {@code [H][W]} class ids
     */
    public static int[][] classIds(INDArray probabilities) {
        if (probabilities.rank() != 3) {
            throw new IllegalArgumentException("classIds takes [K, H, W] probabilities but got shape "
                    + java.util.Arrays.toString(probabilities.shape()));
        }
        int classes = (int) probabilities.size(0);
        int height = (int) probabilities.size(1);
        int width = (int) probabilities.size(2);
        INDArray ids = classes == 1 ? probabilities.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)).gt(0.5)
                .castTo(org.nd4j.linalg.api.buffer.DataType.INT) : probabilities.argMax(0);
        int[][] result = new int[height][width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                result[y][x] = ids.getInt(y, x);
            }
        }
        return result;
    }

    /** A grey PNG-ready image whose pixel values are the class ids (0..255). */
    public static BufferedImage classIdImage(int[][] classIds) {
        int height = classIds.length;
        int width = classIds[0].length;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        var raster = image.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int id = classIds[y][x];
                if (id < 0 || id > 255) {
                    throw new IllegalArgumentException("class id " + id + " at (" + y + ", " + x
                            + ") does not fit an 8-bit mask");
                }
                raster.setSample(x, y, 0, id);
            }
        }
        return image;
    }

    /** The image with each non-background class blended in its palette colour at {@code opacity} (0..1). */
    public static BufferedImage overlay(BufferedImage image, int[][] classIds, double opacity) {
        int height = classIds.length;
        int width = classIds[0].length;
        if (image.getHeight() != height || image.getWidth() != width) {
            throw new IllegalArgumentException("overlay: image is " + image.getWidth() + "x" + image.getHeight()
                    + " but the mask is " + width + "x" + height);
        }
        BufferedImage result = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                int id = classIds[y][x];
                if (id != 0) {
                    rgb = blend(rgb, PALETTE.get(id % PALETTE.size()), opacity);
                }
                result.setRGB(x, y, rgb);
            }
        }
        return result;
    }

    private static int blend(int background, int colour, double opacity) {
        int red = mix(background >> 16 & 0xFF, colour >> 16 & 0xFF, opacity);
        int green = mix(background >> 8 & 0xFF, colour >> 8 & 0xFF, opacity);
        int blue = mix(background & 0xFF, colour & 0xFF, opacity);
        return red << 16 | green << 8 | blue;
    }

    private static int mix(int a, int b, double opacity) {
        return (int) Math.round(a * (1 - opacity) + b * opacity);
    }
}
