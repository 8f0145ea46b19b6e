package io.github.mdunet.data.testing;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.optim.TorchAdam;
import io.github.mdunet.data.SegmentationDataset;
import io.github.mdunet.data.folder.Split;
import io.github.mdunet.data.synthetic.SyntheticShapes;
import java.nio.file.Path;

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
