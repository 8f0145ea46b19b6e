package io.github.mdunet.zoo.graph;

import io.github.mdunet.core.encoder.EncoderSpec;
import io.github.mdunet.core.encoder.SkipTap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Finds the skip feature maps of any DL4J graph from its configuration alone (fastai's idea, without running the
 * model): it walks the vertices in topological order with their activation types for the given input, and takes
 * the last vertex before each change of resolution.
 *
 * <p>The rule, exactly: a vertex's <em>level</em> is {@code round(log2(sqrt(H/h * W/w)))} for an {@code h x w} output
 * of an {@code H x W} input. Only vertices with a 2-D ({@code [N, C, h, w]}) output that depend on at least one layer
 * with parameters count (a padding layer straight after the input is not a feature map). Walking in topological
 * order, each time a vertex reaches a deeper level than any before, the last vertex seen at the previous deepest
 * level becomes a skip with stride {@code 2^level}; the last vertex at the deepest level is the bottleneck. Vertices
 * that return to a shallower level (a decoder) are ignored, and so is everything after the spatial part (global
 * pooling, dense and output layers), whose type is not 2-D or cannot be computed for this input, and any levels
 * deeper than the deepest layer with parameters (a pooling that only feeds the classifier).
 *
 * <p>Limits: a 1x1 classifier convolution before a global pooling (Darknet19, SqueezeNet) is still a 2-D feature
 * map and becomes the bottleneck; VGG's fifth pool is dropped as a head pooling, where the declared
 * {@code ZooBackbone.VGG16} keeps it (as fastai and segmentation_models_pytorch do). Give explicit taps for such
 * graphs. Preprocessors of the source are ignored (they are not copied into the U-Net either).
 */
public final class SkipDiscovery {

    private SkipDiscovery() {
    }

    /** The skips and bottleneck of {@code configuration} for an input of type {@code input}. */
    public static EncoderSpec discover(ComputationGraphConfiguration configuration, InputType input) {
        return discover(GraphSource.of(configuration), input);
    }

    /**
     * The skips and bottleneck of {@code source} for an input of type {@code input} (convolutional).
     *
     * @throws IllegalArgumentException when the graph has no 2-D feature map computed by a layer with parameters
     */
    public static EncoderSpec discover(GraphSource source, InputType input) {
        if (!(input instanceof InputType.InputTypeConvolutional image)) {
            throw new IllegalArgumentException("skip discovery needs a convolutional input type but got " + input);
        }
        Map<String, InputType.InputTypeConvolutional> maps = featureMaps(source, image);
        // a parameter-free tail deeper than the deepest layer with parameters is the head's pooling (ResNet50's
        // "avgpool", VGG's fifth pool): not a feature map of its own
        int deepestWithParameters = maps.entrySet().stream()
                .filter(entry -> hasParameters(source.vertices().get(entry.getKey())))
                .mapToInt(entry -> level(image, entry.getValue())).max().orElse(Integer.MAX_VALUE);
        maps.values().removeIf(map -> level(image, map) > deepestWithParameters);
        List<SkipTap> skips = new ArrayList<>();
        int deepest = Integer.MIN_VALUE;
        String lastAtDeepest = null;
        for (Map.Entry<String, InputType.InputTypeConvolutional> entry : maps.entrySet()) {
            int level = level(image, entry.getValue());
            if (level > deepest) {
                if (lastAtDeepest != null) {
                    skips.add(tap(lastAtDeepest, maps.get(lastAtDeepest), deepest));
                }
                deepest = level;
            }
            if (level == deepest) {
                lastAtDeepest = entry.getKey();
            }
        }
        if (lastAtDeepest == null) {
            throw new IllegalArgumentException("the graph has no 2-D feature map computed by a layer with parameters"
                    + " for input " + image + "; its vertices are: " + source.vertices().keySet());
        }
        return new EncoderSpec(skips, tap(lastAtDeepest, maps.get(lastAtDeepest), deepest));
    }

    /**
     * The activation type of every vertex for {@code input}, in topological order, computed without the source's
     * preprocessors; vertices whose type cannot be computed (a pooling window larger than its input, a dense layer
     * fed a 2-D map) and everything after them are left out.
     */
    public static Map<String, InputType> activationTypes(GraphSource source, InputType input) {
        Map<String, InputType> types = new LinkedHashMap<>();
        types.put(source.input(), input);
        for (String vertex : source.topologicalOrder()) {
            if (vertex.equals(source.input())) {
                continue;
            }
            List<String> inputs = source.inputsOf(vertex);
            if (!types.keySet().containsAll(inputs)) {
                continue;
            }
            InputType[] inputTypes = inputs.stream().map(types::get).toArray(InputType[]::new);
            try {
                GraphVertex conf = source.vertices().get(vertex);
                InputType out = conf instanceof LayerVertex layerVertex
                        ? layerVertex.getLayerConf().getLayer().getOutputType(-1, inputTypes[0])
                        : conf.getOutputType(-1, inputTypes);
                types.put(vertex, out);
            } catch (RuntimeException notComputable) {
                // the end of the part of the graph that this input size supports
            }
        }
        return types;
    }

    private static Map<String, InputType.InputTypeConvolutional> featureMaps(GraphSource source,
                                                                             InputType.InputTypeConvolutional input) {
        Map<String, InputType> types = activationTypes(source, input);
        Set<String> learned = new HashSet<>();
        Map<String, InputType.InputTypeConvolutional> maps = new LinkedHashMap<>();
        for (Map.Entry<String, InputType> entry : types.entrySet()) {
            String vertex = entry.getKey();
            if (vertex.equals(source.input())) {
                continue;
            }
            boolean hasLearned = hasParameters(source.vertices().get(vertex))
                    || source.inputsOf(vertex).stream().anyMatch(learned::contains);
            if (hasLearned) {
                learned.add(vertex);
            }
            if (hasLearned && entry.getValue() instanceof InputType.InputTypeConvolutional map
                    && map.getHeight() > 0 && map.getWidth() > 0) {
                maps.put(vertex, map);
            }
        }
        return maps;
    }

    private static boolean hasParameters(GraphVertex vertex) {
        if (!(vertex instanceof LayerVertex layerVertex)) {
            return false;
        }
        Layer layer = layerVertex.getLayerConf().getLayer();
        // BaseLayer: parameters even before nIn is known (an unbuilt GraphBuilder)
        return layer instanceof BaseLayer || layer.initializer().numParams(layer) > 0;
    }

    private static int level(InputType.InputTypeConvolutional input, InputType.InputTypeConvolutional map) {
        double ratio = Math.sqrt((double) input.getHeight() / map.getHeight() * input.getWidth() / map.getWidth());
        return (int) Math.round(Math.log(ratio) / Math.log(2));
    }

    private static SkipTap tap(String vertex, InputType.InputTypeConvolutional map, int level) {
        return new SkipTap(vertex, (int) map.getChannels(), 1 << Math.max(0, level));
    }

}
