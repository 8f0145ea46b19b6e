package io.github.mdunet.core.graph;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.encoder.Encoder;
import io.github.mdunet.core.encoder.EncoderSpec;
import io.github.mdunet.core.encoder.SkipTap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /**
     * How far below {@code input / stride} a tap's real size may be, in the tap's own pixels (units of its stride,
     * exclusive): flooring loses less than one, and Truncate-mode kernels less than one more at the deepest tap
     * (SqueezeNet's 3x3 stride-2 pools: 1.875 short at stride 16). Rounding up (Same mode) adds less than one. So a
     * side is accepted when {@code input - SHORTFALL_BOUND * stride < size * stride < input + stride}: the bounds
     * scale with the declared stride, so a map at stride 2 declared as 4 fails also on an 8-pixel input.
     */
    private static final int SHORTFALL_BOUND = 2;

    /** Sides tried past the input's when looking for the smallest that works: enough for any kernel we build. */
    private static final int SIDE_SEARCH_LIMIT = 1024;

    /**
     * @param layers which layers the encoder is built from
     * @throws IllegalArgumentException naming the tap when a vertex is missing, is not on the path from the input to
     *                                  the bottleneck, is not a 2-D feature map, or does not have the declared
     *                                  channels or stride; naming the vertex and the smallest input side that works
     *                                  when the input is so small that a feature map has a side below 1 pixel
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
        Set<String> path = feeding(graph, spec.bottleneck().vertexName());
        for (SkipTap tap : spec.skips()) {
            if (!path.contains(tap.vertexName())) {
                throw new IllegalArgumentException("encoder " + encoder + " declares skip vertex '" + tap.vertexName()
                        + "', which is not on the path from the input to its bottleneck '"
                        + spec.bottleneck().vertexName() + "' (nothing from it reaches the bottleneck): tap a vertex"
                        + " that the bottleneck is computed from");
            }
        }
        graph.setOutputs(spec.bottleneck().vertexName());
        graph.setInputTypes(input.toInputType());
        ComputationGraphConfiguration conf = graph.build();
        Map<String, InputType> types = conf.getLayerActivationTypes(input.toInputType());
        String collapsed = firstCollapsed(conf, types);
        if (collapsed != null) {
            InputType.InputTypeConvolutional conv = (InputType.InputTypeConvolutional) types.get(collapsed);
            throw new IllegalArgumentException(String.format(
                    "input %s is too small for encoder %s: its vertex '%s' would have height %d and width %d (a map"
                            + " needs at least 1x1; unpadded kernels cost pixels beyond the total stride %d): %s",
                    input, encoder, collapsed, conv.getHeight(), conv.getWidth(), totalStride,
                    smallestSide(conf, input)));
        }
        Map<String, ImageShape> shapes = new HashMap<>();
        for (SkipTap tap : taps) {
            shapes.put(tap.vertexName(), check(encoder, input, tap, types.get(tap.vertexName())));
        }
        return new EncoderProbe(spec, Map.copyOf(shapes));
    }

    /** A vertex whose feature map has a side below 1 while none of its inputs' has (where it collapses), or null. */
    private static String firstCollapsed(ComputationGraphConfiguration conf, Map<String, InputType> types) {
        for (String vertex : conf.getVertices().keySet()) {
            if (collapsed(types.get(vertex)) && conf.getVertexInputs().getOrDefault(vertex, List.of()).stream()
                    .noneMatch(in -> collapsed(types.get(in)))) {
                return vertex;
            }
        }
        return null;
    }

    private static boolean collapsed(InputType type) {
        return type instanceof InputType.InputTypeConvolutional conv && (conv.getHeight() < 1 || conv.getWidth() < 1);
    }

    /**
     * The fix for a collapsed map: the smallest square side at which no vertex collapses, found by probing the
     * configuration's activation types (no model is built; output sizes never shrink as the input grows).
     */
    private static String smallestSide(ComputationGraphConfiguration conf, ImageShape input) {
        int from = Math.min(input.height(), input.width()) + 1;
        for (int side = from; side <= from + SIDE_SEARCH_LIMIT; side++) {
            ImageShape larger = new ImageShape(input.channels(), side, side);
            if (firstCollapsed(conf, conf.getLayerActivationTypes(larger.toInputType())) == null) {
                return "use at least " + side + " pixels per side";
            }
        }
        return "use a larger input";
    }

    /** {@code vertex} and every vertex it is computed from. */
    private static Set<String> feeding(GraphBuilder graph, String vertex) {
        Set<String> found = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>(List.of(vertex));
        while (!pending.isEmpty()) {
            String next = pending.pop();
            if (found.add(next)) {
                pending.addAll(graph.getVertexInputs().getOrDefault(next, List.of()));
            }
        }
        return found;
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
        if (!fits(real.height(), input.height(), tap.stride()) || !fits(real.width(), input.width(), tap.stride())) {
            throw new IllegalArgumentException(String.format(
                    "skip vertex '%s' of encoder %s declares stride %d (about %.1fx%.1f for input %s) but the graph"
                            + " gives %dx%d: declare the stride the vertex really has",
                    tap.vertexName(), encoder, tap.stride(), expectedHeight, expectedWidth, input, real.height(),
                    real.width()));
        }
        return real;
    }

    /** Whether a side of {@code size} pixels is about {@code inputSize / stride}; see {@link #SHORTFALL_BOUND}. */
    private static boolean fits(int size, int inputSize, int stride) {
        long scaled = (long) size * stride;
        return scaled > inputSize - (long) SHORTFALL_BOUND * stride && scaled < inputSize + (long) stride;
    }
}
