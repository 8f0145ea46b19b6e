package io.github.mdunet.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.testing.BrightShapes;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

/** Every upsample mode learns a trivial segmentation to a clear margin in a few dozen steps. */
class UNetTrainingTest {

    private static final int SIZE = 32;
    private static final int STEPS = 60;

    static Stream<UpsampleMode> modes() {
        return Stream.of(new UpsampleMode.PixelShuffle(true), new UpsampleMode.Transposed(),
                new UpsampleMode.BilinearConv(), new UpsampleMode.Bilinear());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void learnsBrightShapesOnNoise(UpsampleMode mode) {
        DataSet train = BrightShapes.generate(16, SIZE, 1);
        DataSet validation = BrightShapes.generate(8, SIZE, 2);
        UNet unet = UNet.build(UNetConfig.builder()
                .encoder(new ClassicEncoder(2, 8, Normalization.BATCH))
                .input(new ImageShape(1, SIZE, SIZE))
                .numClasses(2)
                .upsample(mode)
                .updater(new Adam(1e-2))
                .build());
        double before = BrightShapes.foregroundIoU(unet.predict(validation.getFeatures()), validation.getLabels());
        for (int step = 0; step < STEPS; step++) {
            unet.graph().fit(train);
        }
        double after = BrightShapes.foregroundIoU(unet.predict(validation.getFeatures()), validation.getLabels());
        assertThat(after).as("validation foreground IoU after %d steps (before: %.3f)", STEPS, before)
                .isGreaterThan(0.8)
                .isGreaterThan(before + 0.3);
    }
}
