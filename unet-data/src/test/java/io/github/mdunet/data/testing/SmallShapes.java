package io.github.mdunet.data.testing;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.optim.TorchAdam;
import io.github.mdunet.core.predict.MaskImages;
import io.github.mdunet.data.SegmentationDataset;
import io.github.mdunet.data.folder.Split;
import io.github.mdunet.data.synthetic.SyntheticShapes;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Small synthetic-shapes data and a small U-Net for the tests of the modules that train on folders (parallel, spark):
 * 32 x 32 images, 4 classes.
 */
public final class SmallShapes {

    public static final int SIZE = 32;

    private SmallShapes() {
    }

    /** {@code count} images, a quarter of them for validation. */
    public static SegmentationDataset dataset(Path directory, int count) {
        return SegmentationDataset.open(SyntheticShapes.write(directory, count, SIZE, 7)
                .withSplit(new Split.BySeed(0.25, 1)));
    }

    /**
     * {@code count} synthetic-shapes pairs of {@link #SIZE} x {@link #SIZE} in {@code root}, their masks rewritten as
     * colour PNGs: class k in {@link MaskImages#PALETTE}'s colour k ({@link #paletteEntries()} reads them back).
     */
    public static Path withColourMasks(Path root, int count, long seed) {
        SyntheticShapes.write(root, count, SIZE, seed);
        try (Stream<Path> masks = Files.list(root.resolve("masks"))) {
            for (Path mask : masks.toList()) {
                BufferedImage ids = ImageIO.read(mask.toFile());
                BufferedImage colours = new BufferedImage(ids.getWidth(), ids.getHeight(), BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < ids.getHeight(); y++) {
                    for (int x = 0; x < ids.getWidth(); x++) {
                        colours.setRGB(x, y, MaskImages.PALETTE.get(ids.getRaster().getSample(x, y, 0)));
                    }
                }
                ImageIO.write(colours, "png", mask.toFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }

    /** The palette of {@link #withColourMasks}, one {@code ID=#RRGGBB} entry per class, as --mask-palette takes it. */
    public static List<String> paletteEntries() {
        return IntStream.range(0, SyntheticShapes.NUM_CLASSES)
                .mapToObj(k -> String.format("%d=#%06X", k, MaskImages.PALETTE.get(k))).toList();
    }

    /** A two-level classic U-Net with batch norm and pixel-shuffle upsampling for {@link #SIZE} x {@link #SIZE} RGB. */
    public static UNetConfig model() {
        return UNetConfig.builder()
                .encoder(new ClassicEncoder(2, 8, Normalization.BATCH))
                .input(new ImageShape(3, SIZE, SIZE))
                .numClasses(SyntheticShapes.NUM_CLASSES)
                .upsample(new UpsampleMode.PixelShuffle(false))
                .updater(new TorchAdam(3e-3))
                .seed(42)
                .build();
    }
}
