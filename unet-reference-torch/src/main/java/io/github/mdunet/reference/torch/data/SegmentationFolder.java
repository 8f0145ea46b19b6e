package io.github.mdunet.reference.torch.data;

import io.github.mdunet.reference.torch.spec.ChannelOrder;
import io.github.mdunet.reference.torch.spec.ImageShape;
import io.github.mdunet.reference.torch.spec.InputNormalization;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Loads a folder with {@code images/*.png} and {@code masks/*.png}, paired by file stem, every image the network
 * input size. Images are read as 8-bit RGB (grey images give R = G = B; a 1-channel network reads the grey value)
 * and normalised by {@link InputNormalization}; masks are 8-bit grey class ids read from the raster (no colour
 * conversion).
 */
public final class SegmentationFolder {

    private SegmentationFolder() {
    }

    /**
     * @throws IllegalArgumentException naming the file for an unpaired name, a wrong size or a class id out of range
     */
    public static SegmentationSet load(Path dir, ImageShape shape, InputNormalization normalization, int classes)
            throws IOException {
        Map<String, Path> images = pngsByStem(dir.resolve("images"));
        Map<String, Path> masks = pngsByStem(dir.resolve("masks"));
        if (!images.keySet().equals(masks.keySet())) {
            List<String> noMask = images.keySet().stream().filter(k -> !masks.containsKey(k)).limit(10).toList();
            List<String> noImage = masks.keySet().stream().filter(k -> !images.containsKey(k)).limit(10).toList();
            throw new IllegalArgumentException(dir + ": images and masks must pair by file stem; images without a"
                    + " mask " + noMask + ", masks without an image " + noImage);
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException(dir + ": no .png files in images/");
        }
        if (shape.channels() != 1 && shape.channels() != 3) {
            throw new IllegalArgumentException("the network input has " + shape.channels() + " channels; images can"
                    + " feed 1 (grey) or 3 (colour)");
        }
        List<String> names = new ArrayList<>();
        List<float[]> pixels = new ArrayList<>();
        List<byte[]> labels = new ArrayList<>();
        for (String stem : images.keySet()) {
            names.add(stem);
            pixels.add(readImage(images.get(stem), shape, normalization));
            labels.add(readMask(masks.get(stem), shape, classes));
        }
        return new SegmentationSet(shape, names, pixels, labels);
    }

    private static float[] readImage(Path file, ImageShape shape, InputNormalization normalization)
            throws IOException {
        BufferedImage image = read(file, shape);
        int height = shape.height();
        int width = shape.width();
        float[] out = new float[shape.channels() * height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int argb = image.getRGB(x, y);
                int[] rgb = {(argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff};
                if (shape.channels() == 1) {
                    int grey = image.getRaster().getNumBands() == 1 ? image.getRaster().getSample(x, y, 0) : rgb[0];
                    out[y * width + x] = normalization.apply(0, grey);
                    continue;
                }
                for (int c = 0; c < 3; c++) {
                    int source = normalization.channelOrder() == ChannelOrder.RGB ? c : 2 - c;
                    out[(c * height + y) * width + x] = normalization.apply(c, rgb[source]);
                }
            }
        }
        return out;
    }

    private static byte[] readMask(Path file, ImageShape shape, int classes) throws IOException {
        BufferedImage image = read(file, shape);
        Raster raster = image.getRaster();
        byte[] out = new byte[shape.height() * shape.width()];
        for (int y = 0; y < shape.height(); y++) {
            for (int x = 0; x < shape.width(); x++) {
                int label = raster.getSample(x, y, 0);
                if (label >= classes) {
                    throw new IllegalArgumentException(file + ": pixel (" + x + ", " + y + ") holds class id " + label
                            + " but the network has " + classes + " classes (0 to " + (classes - 1) + ")");
                }
                out[y * shape.width() + x] = (byte) label;
            }
        }
        return out;
    }

    private static BufferedImage read(Path file, ImageShape shape) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) {
            throw new IOException(file + ": not a readable image");
        }
        if (image.getHeight() != shape.height() || image.getWidth() != shape.width()) {
            throw new IllegalArgumentException(file + ": is " + image.getWidth() + " x " + image.getHeight()
                    + " (W x H) but the network input is " + shape.width() + " x " + shape.height());
        }
        return image;
    }

    private static Map<String, Path> pngsByStem(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a directory (expected images/ and masks/ side by side)");
        }
        Map<String, Path> byStem = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().toLowerCase().endsWith(".png")).forEach(f -> {
                String name = f.getFileName().toString();
                byStem.put(name.substring(0, name.length() - 4), f);
            });
        }
        return byStem;
    }
}
