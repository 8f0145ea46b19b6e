package io.github.mdunet.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.encoder.ClassicEncoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link UNet#predict} on images of another size than the configured input: the graphs without bilinear resize
 * layers (pixel shuffle, transposed convolution, at an input that is a multiple of the total stride) take any
 * multiple of the total stride and predict there what a U-Net built at that size with the same weights predicts; the
 * others, and sizes that are no such multiple, are refused naming both sizes and the fixes.
 */
class UNetPredictSizeTest {

    /** Depth 3: total stride 8; 32x32 is a multiple, so pixel shuffle and transposed need no resize layer. */
    private static UNetConfig config(UpsampleMode upsample, BlockLayers layers, ImageShape input) {
        return UNetConfig.builder().encoder(new ClassicEncoder(3, 2, Normalization.BATCH)).input(input).numClasses(2)
                .upsample(upsample).layers(layers).midAttention(true).attentionGates(1).lastCross(true).build();
    }

    @ParameterizedTest
    @EnumSource(BlockLayers.class)
    void withoutResizeLayersAnotherMultipleOfTheStridePredictsAsAUNetBuiltAtThatSize(BlockLayers layers) {
        for (UpsampleMode upsample : new UpsampleMode[] {new UpsampleMode.PixelShuffle(true),
                new UpsampleMode.Transposed()}) {
            UNet unet = UNet.build(config(upsample, layers, new ImageShape(3, 32, 32)));
            INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, 48, 64);

            INDArray predicted = unet.predict(images);

            UNet atThatSize = UNet.build(config(upsample, layers, new ImageShape(3, 48, 64)));
            atThatSize.graph().setParams(unet.graph().params());
            assertThat(predicted.shape()).containsExactly(2, 2, 48, 64);
            assertThat(predicted.equalsWithEps(atThatSize.predict(images), 1e-6)).as(upsample.toString()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(BlockLayers.class)
    void withoutResizeLayersASizeThatIsNoMultipleOfTheStrideIsRefused(BlockLayers layers) {
        UNet unet = UNet.build(config(new UpsampleMode.PixelShuffle(false), layers, new ImageShape(3, 32, 32)));

        assertThatThrownBy(() -> unet.predict(Nd4j.rand(DataType.FLOAT, 1, 3, 36, 40)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("images of 36x40")
                .hasMessageContaining("built for 32x32")
                .hasMessageContaining("multiples of its encoder's total stride 8")
                .hasMessageContaining("unet.tiledPredictor(overlap)");
    }

    /**
     * Bilinear upsampling, or an input that is no multiple of the total stride (which resizes each upsampled map to
     * its skip), fixes every size in the graph: another size is refused before DL4J meets it inside the graph.
     */
    @ParameterizedTest
    @EnumSource(BlockLayers.class)
    void withResizeLayersOnlyTheConfiguredSizeIsTaken(BlockLayers layers) {
        UNet bilinear = UNet.build(config(new UpsampleMode.Bilinear(), layers, new ImageShape(3, 32, 32)));
        UNet bilinearConv = UNet.build(config(new UpsampleMode.BilinearConv(), layers, new ImageShape(3, 32, 32)));
        UNet offStride = UNet.build(config(new UpsampleMode.PixelShuffle(false), layers, new ImageShape(3, 36, 36)));

        for (UNet unet : new UNet[] {bilinear, bilinearConv, offStride}) {
            ImageShape input = unet.config().input();
            assertThat(unet.predict(Nd4j.rand(DataType.FLOAT, 1, 3, input.height(), input.width())).shape())
                    .containsExactly(1, 2, input.height(), input.width());
            int height = input.height() * 2;
            int width = input.width() * 2;
            assertThatThrownBy(() -> unet.predict(Nd4j.rand(DataType.FLOAT, 1, 3, height, width)))
                    .as(unet.config().upsample() + " at " + input)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("images of " + height + "x" + width)
                    .hasMessageContaining("built for " + input.height() + "x" + input.width())
                    .hasMessageContaining("bilinear resize layers")
                    .hasMessageContaining("unet.tiledPredictor(overlap)")
                    .hasMessageContaining("withInput");
        }
    }
}
