package io.github.mdunet.tuning.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.layers.SubPixelConvolution;
import io.github.mdunet.zoo.ZooBackbone;
import io.github.mdunet.zoo.ZooEncoder;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.junit.jupiter.api.Test;

class ForwardFlopsTest {

    private static final InputType INPUT = InputType.convolutional(10, 12, 3);

    @Test
    void countsEachConvolutionAtItsOwnResolution() {
        ComputationGraphConfiguration graph = new NeuralNetConfiguration.Builder()
                .convolutionMode(ConvolutionMode.Same).graphBuilder().addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).build(), "in")
                .addLayer("pool", new SubsamplingLayer.Builder(2, 2).stride(2, 2).build(), "conv")
                .addLayer("strided", new ConvolutionLayer.Builder(1, 1).stride(1, 1).nOut(6).build(), "pool")
                .addLayer("up", new Deconvolution2D.Builder(2, 2).stride(2, 2).nOut(5).build(), "strided")
                .addLayer("shuffle",
                        new SubPixelConvolution(5, 2, 2, 3, false, org.nd4j.linalg.activations.Activation.RELU), "up")
                .setOutputs("shuffle").setInputTypes(INPUT).build();
        double conv = 2.0 * 9 * 3 * 4 * 10 * 12;          // 3x3, 3 -> 4, at 10 x 12
        double strided = 2.0 * 1 * 4 * 6 * 5 * 6;         // 1x1, 4 -> 6, after the 2x2 pool: 5 x 6
        double deconv = 2.0 * 4 * 6 * 5 * 5 * 6;          // 2x2 kernel scattered from each of the 5 x 6 inputs
        double subPixel = 2.0 * 9 * 5 * (2 * 2 * 2) * 10 * 12; // 3x3, 5 -> 2*r*r, at the 10 x 12 input
        assertThat(ForwardFlops.perImage(graph, INPUT)).isEqualTo(conv + strided + deconv + subPixel);
    }

    @Test
    void theReferenceResNet50UNetDoesAboutThreeTimesTheWorkOfDl4jsLayout() {
        UNetConfig reference = seed(ZooBackbone.RESNET50);
        UNetConfig dl4j = seed(ZooBackbone.RESNET50_DL4J);
        double ratio = ForwardFlops.perImage(reference) / ForwardFlops.perImage(dl4j);
        assertThat(ratio).isCloseTo(3.4, within(0.3));
    }

    @Test
    void bothLayerPathsCountTheSameWork() {
        for (ZooBackbone backbone : new ZooBackbone[] {ZooBackbone.RESNET50, ZooBackbone.RESNET50_DL4J}) {
            UNetConfig fused = seed(backbone).withLayers(BlockLayers.FUSED);
            UNetConfig stock = seed(backbone).withLayers(BlockLayers.STOCK);
            assertThat(ForwardFlops.perImage(fused)).as(backbone.name())
                    .isCloseTo(ForwardFlops.perImage(stock), within(1.0));
        }
    }

    @Test
    void workGrowsWithThePixelCount() {
        UNetConfig small = seed(ZooBackbone.RESNET50);
        UNetConfig large = small.withInput(new ImageShape(3, 128, 128));
        assertThat(ForwardFlops.perImage(large) / ForwardFlops.perImage(small)).isCloseTo(4.0, within(0.01));
    }

    private static UNetConfig seed(ZooBackbone backbone) {
        return UNetConfig.builder().encoder(ZooEncoder.random(backbone)).input(new ImageShape(3, 64, 64))
                .numClasses(2).channelReduction(ChannelReduction.EQ_SKIP).midChannelScale(1.0)
                .upsample(new UpsampleMode.PixelShuffle(false)).build();
    }
}
