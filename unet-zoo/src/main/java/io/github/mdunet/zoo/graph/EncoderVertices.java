package io.github.mdunet.zoo.graph;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.Encoder;
import io.github.mdunet.core.encoder.EncoderSpec;
import java.util.LinkedHashSet;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;

/** Which vertices of a U-Net belong to its encoder: exactly those that the encoder's {@code addTo} adds. */
public final class EncoderVertices {

    private EncoderVertices() {
    }

    private static final String INPUT = "input";

    /**
     * The names of the vertices that {@code encoder} adds for {@code input} with {@code layers}, in the order it
     * adds them.
     */
    public static Set<String> of(Encoder encoder, ImageShape input, BlockLayers layers) {
        GraphBuilder graph = new NeuralNetConfiguration.Builder().graphBuilder().addInputs(INPUT);
        encoder.addTo(graph, INPUT, input, layers);
        Set<String> names = new LinkedHashSet<>(graph.getVertices().keySet());
        names.remove(INPUT);
        return names;
    }

    /** The encoder's vertex names in the U-Net of {@code config}. */
    public static Set<String> of(UNetConfig config) {
        return of(config.encoder(), config.input(), config.layers());
    }

    /**
     * What {@code encoder} declares for {@code input} with {@code layers} (its taps and bottleneck), without
     * building anything.
     */
    public static EncoderSpec spec(Encoder encoder, ImageShape input, BlockLayers layers) {
        return encoder.addTo(new NeuralNetConfiguration.Builder().graphBuilder().addInputs(INPUT), INPUT, input,
                layers);
    }
}
