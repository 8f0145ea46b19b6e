package io.github.mdunet.zoo.graph;

import io.github.mdunet.core.encoder.Encoder;
import io.github.mdunet.core.encoder.EncoderSpec;
import io.github.mdunet.core.encoder.ImageShape;
import java.util.LinkedHashSet;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;

/** Which vertices of a U-Net belong to its encoder: exactly those that the encoder's {@code addTo} adds. */
public final class EncoderVertices {

    private EncoderVertices() {
    }

    private static final String INPUT = "input";

    /** The names of the vertices that {@code encoder} adds for {@code input}, in the order it adds them. */
    public static Set<String> of(Encoder encoder, ImageShape input) {
        GraphBuilder graph = new NeuralNetConfiguration.Builder().graphBuilder().addInputs(INPUT);
        encoder.addTo(graph, INPUT, input);
        Set<String> names = new LinkedHashSet<>(graph.getVertices().keySet());
        names.remove(INPUT);
        return names;
    }

    /** What {@code encoder} declares for {@code input} (its taps and bottleneck), without building anything. */
    public static EncoderSpec spec(Encoder encoder, ImageShape input) {
        return encoder.addTo(new NeuralNetConfiguration.Builder().graphBuilder().addInputs(INPUT), INPUT, input);
    }
}
