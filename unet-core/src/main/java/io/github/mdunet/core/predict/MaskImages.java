package io.github.mdunet.core.predict;

import io.github.mdunet.core.metrics.SegmentationEvaluation;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Turns predictions into pictures: class-id masks (one grey level per class, the id itself) and colour overlays of
 * the classes on the image.
 */
public final class MaskImages {

    /**
     * Distinct colours for classes 0..11 (0, background, is left transparent in overlays); classes from 12 on cycle
     * over the class colours 1..11 (12 takes 1's), never the background's black. See {@link #colourOf}.
     */
    public static final List<Integer> PALETTE = List.of(0x000000, 0xE6194B, 0x3CB44B, 0xFFE119, 0x4363D8, 0xF58231,
            0x911EB4, 0x46F0F0, 0xF032E6, 0xBCF60C, 0xFABEBE, 0x008080);

    /** The threshold of {@link #classIds(INDArray)}: {@link SegmentationEvaluation}'s default. */
    public static final double DEFAULT_THRESHOLD = 0.5;

    private MaskImages() {
    }

    /**
     * The class of each pixel: argmax over K for {@code [K, H, W]} probabilities, or for K = 1 (sigmoid) class 1
     * where the probability is {@code >= 0.5}.
     *
     * @return {@code [H][W]} class ids
     */
    public static int[][] classIds(INDArray probabilities) {
        return classIds(probabilities, DEFAULT_THRESHOLD);
    }

    /**
     * The class of each pixel: argmax over K for {@code [K, H, W]} probabilities, or for K = 1 (sigmoid) class 1
     * where the probability is {@code >= threshold}, the rule of {@link SegmentationEvaluation}'s
     * {@code binaryThreshold}.
     *
     * @param threshold the probability from which a K = 1 output is class 1, in (0, 1); unused for K > 1
     * @return {@code [H][W]} class ids
     */
    public static int[][] classIds(INDArray probabilities, double threshold) {
        if (probabilities.rank() != 3) {
            throw new IllegalArgumentException("classIds takes [K, H, W] probabilities but got shape "
                    + Arrays.toString(probabilities.shape()));
        }
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1) but was " + threshold);
        }
        int classes = (int) probabilities.size(0);
        int height = (int) probabilities.size(1);
        int width = (int) probabilities.size(2);
        INDArray ids = classes == 1 ? probabilities.get(NDArrayIndex.point(0)).gte(threshold).castTo(DataType.INT)
                : probabilities.argMax(0);
        int[][] result = new int[height][width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                result[y][x] = ids.getInt(y, x);
            }
        }
        return result;
    }

    /** The most classes an 8-bit mask holds (ids 0..255); more take a 16-bit mask. */
    public static final int EIGHT_BIT_CLASSES = 256;
    /** The most classes a 16-bit mask holds (ids 0..65535). */
    public static final int SIXTEEN_BIT_CLASSES = 65536;

    /**
     * A grey PNG-ready image whose pixel values are the class ids: 8-bit for up to {@value #EIGHT_BIT_CLASSES}
     * classes, else 16-bit (as the training masks of so many classes are), so every mask of one model has one depth.
     *
     * @param numClasses the model's classes, 1 to {@value #SIXTEEN_BIT_CLASSES}; each id must be below it
     */
    public static BufferedImage classIdImage(int[][] classIds, int numClasses) {
        if (numClasses < 1 || numClasses > SIXTEEN_BIT_CLASSES) {
            throw new IllegalArgumentException("numClasses must be in [1, " + SIXTEEN_BIT_CLASSES + "] (what a 16-bit"
                    + " mask holds) but was " + numClasses);
        }
        int height = classIds.length;
        int width = classIds[0].length;
        BufferedImage image = new BufferedImage(width, height, numClasses <= EIGHT_BIT_CLASSES
                ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_USHORT_GRAY);
        var raster = image.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int id = classIds[y][x];
                if (id < 0 || id >= numClasses) {
                    throw new IllegalArgumentException("class id " + id + " at (" + y + ", " + x
                            + ") is not one of the " + numClasses + " classes 0.." + (numClasses - 1));
                }
                raster.setSample(x, y, 0, id);
            }
        }
        return image;
    }

    /**
     * The overlay colour of class {@code classId} (0xRRGGBB): {@link #PALETTE}'s entry for 0..11, then the class
     * colours 1..11 over again, so that no class but the background gets its black.
     */
    public static int colourOf(int classId) {
        if (classId < 0) {
            throw new IllegalArgumentException("classId must be >= 0 but was " + classId);
        }
        return classId == 0 ? PALETTE.get(0) : PALETTE.get(1 + (classId - 1) % (PALETTE.size() - 1));
    }

    /** The overlay colour of a pixel a truth mask leaves out (a negative id, e.g. an ignored mask value): white. */
    public static final int IGNORED_COLOUR = 0xFFFFFF;

    /**
     * The image with each non-background class blended in its {@link #colourOf colour} at {@code opacity} (0..1),
     * and each negative id (an ignored pixel of a truth mask) in {@link #IGNORED_COLOUR}.
     */
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
                    rgb = blend(rgb, id < 0 ? IGNORED_COLOUR : colourOf(id), opacity);
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
