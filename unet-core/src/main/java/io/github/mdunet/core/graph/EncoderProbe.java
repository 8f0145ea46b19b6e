package io.github.mdunet.core.graph;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.encoder.Encoder;
import io.github.mdunet.core.encoder.EncoderSpec;
import io.github.mdunet.core.encoder.SkipTap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * Builds an encoder alone and checks its declared {@link SkipTap}s against the graph's own activation types for
 * the requested input (DL4J's {@code getLayerActivationTypes}), without running or allocating the model.
 *
 * @param spec   what the encoder declared
 * @param shapes the real shape of every tapped vertex
 */
public record EncoderProbe(EncoderSpec spec, Map<String, ImageShape> shapes) {

    /** How far (in feature-map pixels) a real size may be from {@code input / stride}: pooling may round. */
    private static final int SIZE_TOLERANCE = 2;

    /**
     * @param layers which layers the encoder is built from
     * @throws IllegalArgumentException naming the tap when a vertex is missing, is not a 2-D feature map, or does
     *                                  not have the declared channels or stride
     */
    public static EncoderProbe probe(Encoder encoder, ImageShape input,
                                     NeuralNetConfiguration.Builder global, String inputVertex, BlockLayers layers) {
        GraphBuilder graph = global.graphBuilder().addInputs(inputVertex);
        EncoderSpec spec = encoder.addTo(graph, inputVertex, input, layers);
        int totalStride = spec.totalStride();
        if (input.height() < totalStride || input.width() < totalStride) {
            throw new IllegalArgumentException("input " + input + " is smaller than the total stride " + totalStride
                    + " of encoder " + encoder + ": use at least " + totalStride + " pixels per side");
        }
        List<SkipTap> taps = new ArrayList<>(spec.skips());
        taps.add(spec.bottleneck());
        for (SkipTap tap : taps) {
            if (!graph.getVertices().containsKey(tap.vertexName())) {
                throw new IllegalArgumentException("encoder " + encoder + " declares skip vertex '" + tap.vertexName()
                        + "', which its graph does not have; its vertices are: " + graph.getVertices().keySet());
            }
        }
        graph.setOutputs(spec.bottleneck().vertexName());
        graph.setInputTypes(input.toInputType());
        ComputationGraphConfiguration conf = graph.build();
        Map<String, InputType> types = conf.getLayerActivationTypes(input.toInputType());
        Map<String, ImageShape> shapes = new HashMap<>();
        for (SkipTap tap : taps) {
            shapes.put(tap.vertexName(), check(encoder, input, tap, types.get(tap.vertexName())));
        }
        return new EncoderProbe(spec, Map.copyOf(shapes));
    }

    private static ImageShape check(Encoder encoder, ImageShape input, SkipTap tap, InputType type) {
        if (!(type instanceof InputType.InputTypeConvolutional conv)) {
            throw new IllegalArgumentException("skip vertex '" + tap.vertexName() + "' of encoder " + encoder
                    + " must output a 2-D feature map [N, C, H, W] but its activation type is " + type);
        }
        ImageShape real = new ImageShape((int) conv.getChannels(), (int) conv.getHeight(), (int) conv.getWidth());
        if (real.channels() != tap.channels()) {
            throw new IllegalArgumentException("skip vertex '" + tap.vertexName() + "' of encoder " + encoder
                    + " declares " + tap.channels() + " channels but the graph gives " + real.channels());
        }
        double expectedHeight = (double) input.height() / tap.stride();
        double expectedWidth = (double) input.width() / tap.stride();
        if (Math.abs(real.height() - expectedHeight) > SIZE_TOLERANCE
                || Math.abs(real.width() - expectedWidth) > SIZE_TOLERANCE) {
            throw new IllegalArgumentException(String.format(
                    "skip vertex '%s' of encoder %s declares stride %d (about %.1fx%.1f for input %s) but the graph"
                            + " gives %dx%d: declare the stride the vertex really has",
                    tap.vertexName(), encoder, tap.stride(), expectedHeight, expectedWidth, input, real.height(),
                    real.width()));
        }
        return real;
    }
}
