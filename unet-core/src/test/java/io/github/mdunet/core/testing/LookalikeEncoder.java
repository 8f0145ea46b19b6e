package io.github.mdunet.core.testing;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.encoder.Encoder;
import io.github.mdunet.core.encoder.EncoderSpec;
import io.github.mdunet.core.encoder.SkipTap;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.activations.Activation;

/**
 * An encoder whose vertex names start like the U-Net's own blocks ({@code mid_}, {@code dec1_}, {@code head_}):
 * anything that sorts vertices into blocks by parsing their names would put this encoder's into the decoder.
 * Input {@code [N, C, H, W]}; skips of 4 channels at stride 1 and 8 at stride 2, deepest 16 channels at stride 4.
 */
public record LookalikeEncoder() implements Encoder {

    @Override
    public EncoderSpec addTo(GraphBuilder graph, String inputVertex, ImageShape input) {
        graph.addLayer("mid_stem", conv(4, 1), inputVertex);
        graph.addLayer("dec1_down", conv(8, 2), "mid_stem");
        graph.addLayer("head_deep", conv(16, 2), "dec1_down");
        return new EncoderSpec(List.of(new SkipTap("mid_stem", 4, 1), new SkipTap("dec1_down", 8, 2)),
                new SkipTap("head_deep", 16, 4));
    }

    private static ConvolutionLayer conv(int channels, int stride) {
        return new ConvolutionLayer.Builder(3, 3).stride(stride, stride).nOut(channels)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build();
    }
}
