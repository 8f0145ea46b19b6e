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
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Cnn3DLossLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffOutputLayer;

/**
 * Finds the skip feature maps of any DL4J graph from its configuration alone (fastai's idea, without running the
 * model): it walks the vertices in topological order with their activation types for the given input, and takes
 * the last vertex before each change of resolution.
 *
 * <p>The rule, exactly: only vertices with a 2-D ({@code [N, C, h, w]}) output that depend on at least one layer with
 * parameters count (a padding layer straight after the input is not a feature map), and never an output layer
 * ({@code BaseOutputLayer}, {@code LossLayer}, {@code CnnLossLayer}, {@code Yolo2OutputLayer}, ...: its 2-D output is
 * a prediction, not a feature map). Levels are counted by resolution drops along the walk: the first feature map's
 * level is {@code round(log2(r))} for its side ratio {@code r = sqrt(H/h * W/w)} to the {@code H x W} input; a map
 * whose side ratio to the first map of the current level is at least 1.5 (what a stride-2 convolution or pool gives
 * on any side of 3 pixels or more, Same or Truncate) starts the next level, {@code max(1, round(log2(ratio)))}
 * deeper (a stride-4 stem skips one). A smaller shrink (a Truncate-mode convolution without stride) stays at the
 * level. Each time a level starts, the last vertex at the level before becomes a skip with stride
 * {@code 2^level}; the last vertex at the deepest level is the bottleneck. So five stride-2 Same convolutions give
 * six levels on a 36-pixel input too (36, 18, 9, 5, 3, 2), where rounding the ratio to the input would put 3 and 2
 * at one level. Vertices larger than their level's first map (a decoder, a padding) are ignored, and so is
 * everything after the spatial part (global pooling, dense and output layers), whose type is not 2-D or cannot be
 * computed for this input, and any levels deeper than the deepest layer with parameters (a pooling that only feeds
 * the classifier).
 *
 * <p>Limits: a 1x1 classifier convolution before a global pooling or an output layer (Darknet19, SqueezeNet, YOLO2's
 * detection convolution) is still a 2-D feature map and becomes the bottleneck; VGG's fifth pool is dropped as a
 * head pooling, where the declared {@code ZooBackbone.VGG16} keeps it (as fastai and segmentation_models_pytorch do).
 * At sides of a few pixels a drop is ambiguous (a 3x3 Truncate stride-2 pool takes 6 pixels to 2, a ratio of 3 that
 * counts as two levels). Give explicit taps for such graphs. Preprocessors of the source are ignored (they are not
 * copied into the U-Net either).
 */
public final class SkipDiscovery {

    /** The side ratio to a level's first map from which a map starts the next level: 3 -> 2 (a stride 2). */
    private static final double NEW_LEVEL_SIDE_RATIO = 1.5;

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
        List<LevelledMap> descent = descent(image, featureMaps(source, image));
        // a parameter-free tail deeper than the deepest layer with parameters is the head's pooling (ResNet50's
        // "avgpool", VGG's fifth pool): not a feature map of its own
        int deepestWithParameters = descent.stream()
                .filter(map -> hasParameters(source.vertices().get(map.vertex())))
                .mapToInt(LevelledMap::level).max().orElse(Integer.MAX_VALUE);
        descent.removeIf(map -> map.level() > deepestWithParameters);
        if (descent.isEmpty()) {
            throw new IllegalArgumentException("the graph has no 2-D feature map computed by a layer with parameters"
                    + " for input " + image + "; its vertices are: " + source.vertices().keySet());
        }
        List<SkipTap> skips = new ArrayList<>();
        for (int i = 0; i + 1 < descent.size(); i++) {
            if (descent.get(i + 1).level() > descent.get(i).level()) {
                skips.add(descent.get(i).tap());
            }
        }
        return new EncoderSpec(skips, descent.get(descent.size() - 1).tap());
    }

    /** A feature map on the way down, with its level ({@code 2^level} is its stride). */
    private record LevelledMap(String vertex, InputType.InputTypeConvolutional map, int level) {

        SkipTap tap() {
            return new SkipTap(vertex, (int) map.getChannels(), 1 << Math.max(0, level));
        }
    }

    /**
     * The feature maps on the way down, in topological order, each with its level (see the class comment): a map at
     * least 1.5 times smaller per side than its level's first map starts the next level; a map larger than its
     * level's first map is left out.
     */
    private static List<LevelledMap> descent(InputType.InputTypeConvolutional input,
                                             Map<String, InputType.InputTypeConvolutional> maps) {
        List<LevelledMap> descent = new ArrayList<>();
        double levelStartArea = Double.NaN;
        int level = 0;
        for (Map.Entry<String, InputType.InputTypeConvolutional> entry : maps.entrySet()) {
            double area = area(entry.getValue());
            if (Double.isNaN(levelStartArea)) {
                level = log2Rounded(Math.sqrt(area(input) / area));
                levelStartArea = area;
            } else if (area > levelStartArea) {
                continue;
            } else if (Math.sqrt(levelStartArea / area) >= NEW_LEVEL_SIDE_RATIO) {
                level += Math.max(1, log2Rounded(Math.sqrt(levelStartArea / area)));
                levelStartArea = area;
            }
            descent.add(new LevelledMap(entry.getKey(), entry.getValue(), level));
        }
        return descent;
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
                    && map.getHeight() > 0 && map.getWidth() > 0
                    && !(source.vertices().get(vertex) instanceof LayerVertex layerVertex
                    && isOutputLayer(layerVertex.getLayerConf().getLayer()))) {
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

    /** Whether {@code layer} computes a prediction and a loss (its 2-D output is no feature map). */
    private static boolean isOutputLayer(Layer layer) {
        return layer instanceof BaseOutputLayer || layer instanceof LossLayer || layer instanceof CnnLossLayer
                || layer instanceof Cnn3DLossLayer || layer instanceof RnnLossLayer || layer instanceof Yolo2OutputLayer
                || layer instanceof SameDiffOutputLayer;
    }

    private static double area(InputType.InputTypeConvolutional map) {
        return (double) map.getHeight() * map.getWidth();
    }

    private static int log2Rounded(double ratio) {
        return (int) Math.round(Math.log(ratio) / Math.log(2));
    }
}
