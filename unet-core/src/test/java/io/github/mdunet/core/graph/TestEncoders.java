package io.github.mdunet.core.graph;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.encoder.Encoder;
import io.github.mdunet.core.encoder.EncoderSpec;
import io.github.mdunet.core.encoder.SkipTap;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.activations.Activation;

/** Small encoders for tests. */
public final class TestEncoders {

    private TestEncoders() {
    }

    /** Classic U-Net encoder, depth 2, 4 base channels: skips 4@/1, 8@/2, bottleneck 16@/4. */
    public static ClassicEncoder tinyClassic() {
        return new ClassicEncoder(2, 4, Normalization.BATCH);
    }

    /**
     * A ResNet-shaped encoder: a stride-2 stem, then one strided 3x3 conv per stage, with the given widths; skips
     * at strides 2, 4, ...; the last width is the bottleneck. Wide skips make the channel reductions differ.
     */
    public record Strided(List<Integer> widths) implements Encoder {

        public Strided {
            widths = List.copyOf(widths);
        }

        @Override
        public EncoderSpec addTo(GraphBuilder graph, String inputVertex, ImageShape input) {
            List<SkipTap> taps = new ArrayList<>();
            String previous = inputVertex;
            for (int i = 0; i < widths.size(); i++) {
                String name = "strided" + i;
                graph.addLayer(name, new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(widths.get(i))
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build(), previous);
                taps.add(new SkipTap(name, widths.get(i), 2 << i));
                previous = name;
            }
            SkipTap bottleneck = taps.remove(taps.size() - 1);
            return new EncoderSpec(taps, bottleneck);
        }
    }
}
