package io.github.mdunet.data.synthetic;

import io.github.mdunet.data.folder.SegmentationFolderConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Writes rendered samples in the layout {@link SegmentationFolderConfig#of} reads: {@code root/images/<stem>.png}
 * (RGB) beside {@code root/masks/<stem>.png} (8-bit grey, one class id per pixel). The PNG bytes depend only on the
 * pixels, so a generator that is a pure function of its seed writes byte-identical files.
 */
public final class SegmentationFolderWriter {

    private final Path root;

    private SegmentationFolderWriter(Path root) {
        this.root = root;
    }

    /** Creates {@code root/images} and {@code root/masks} (and their parents) when missing. */
    public static SegmentationFolderWriter create(Path root) {
        try {
            Files.createDirectories(root.resolve(SegmentationFolderConfig.IMAGES));
            Files.createDirectories(root.resolve(SegmentationFolderConfig.MASKS));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the images/ and masks/ folders under " + root, e);
        }
        return new SegmentationFolderWriter(root);
    }

    /** The folder holding {@code images/} and {@code masks/}. */
    public Path root() {
        return root;
    }

    /**
     * Writes one image/mask pair.
     *
     * @param stem     file name without extension, shared by image and mask
     * @param rgb      {@code width*height} pixels as {@code 0xRRGGBB}, row-major
     * @param classIds {@code width*height} class ids in 0..255, row-major
     */
    public void write(String stem, int width, int height, int[] rgb, int[] classIds) {
        if (rgb.length != width * height || classIds.length != width * height) {
            throw new IllegalArgumentException("sample '" + stem + "' needs width*height = " + width * height
                    + " pixels but had rgb=" + rgb.length + ", classIds=" + classIds.length);
        }
        String name = stem + ".png";
        try {
            Path images = root.resolve(SegmentationFolderConfig.IMAGES);
            Path masks = root.resolve(SegmentationFolderConfig.MASKS);
            ImageIO.write(toRgbImage(rgb, width, height), "png", images.resolve(name).toFile());
            ImageIO.write(toGreyImage(classIds, width, height), "png", masks.resolve(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write sample '" + stem + "' under " + root, e);
        }
    }

    /** An RGB image of {@code 0xRRGGBB} pixels. */
    public static BufferedImage toRgbImage(int[] rgb, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        image.setRGB(0, 0, width, height, rgb, 0, width);
        return image;
    }

    /** An 8-bit greyscale image of values 0-255 (class ids). */
    public static BufferedImage toGreyImage(int[] values, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSamples(0, 0, width, height, 0, values);
        return image;
    }
}
