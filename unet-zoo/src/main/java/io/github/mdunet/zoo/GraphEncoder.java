package io.github.mdunet.zoo;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.encoder.Encoder;
import io.github.mdunet.core.encoder.EncoderSpec;
import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.core.encoder.SkipTap;
import io.github.mdunet.zoo.graph.GraphCopy;
import io.github.mdunet.zoo.graph.GraphSource;
import io.github.mdunet.zoo.graph.LayerDefaults;
import io.github.mdunet.zoo.graph.SkipDiscovery;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.LayerVertex;

/**
 * A user's own DL4J graph as a U-Net encoder. The configuration is stored as its JSON so that the encoder, and the
 * U-Net configuration holding it, save and load like any other.
 *
 * <p>Tensor contract: reads {@code [N, C, H, W]} from the U-Net's input in place of the graph's single network input.
 * The skips are either given ({@code skips} and {@code bottleneck}) or, when {@code bottleneck} is null, found by
 * {@link SkipDiscovery} for the U-Net's input size: the last vertex before each change of resolution. Only the
 * bottleneck and the vertices it depends on are copied (the graph's head is dropped); layer settings other than the
 * updater and regularisation (which the U-Net's configuration sets) are kept.
 *
 * @param configurationJson  the graph, as {@code ComputationGraphConfiguration.toJson()}
 * @param skips              the skip taps, highest resolution first; empty when discovered
 * @param bottleneck         the bottleneck tap, or null to discover skips and bottleneck
 * @param inputNormalization how the graph expects its pixels
 */
public record GraphEncoder(String configurationJson, List<SkipTap> skips, SkipTap bottleneck,
                           InputNormalization inputNormalization) implements Encoder {

    public GraphEncoder {
        if (configurationJson == null || configurationJson.isBlank()) {
            throw new IllegalArgumentException("GraphEncoder.configurationJson must be a ComputationGraphConfiguration"
                    + " as JSON (configuration.toJson()) but was empty");
        }
        configurationJson = withoutSeeds(configurationJson);
        skips = skips == null ? List.of() : List.copyOf(skips);
        if (bottleneck == null && !skips.isEmpty()) {
            throw new IllegalArgumentException("GraphEncoder.bottleneck must be given with explicit skips " + skips
                    + " (or give neither, to discover both)");
        }
        if (inputNormalization == null) {
            throw new IllegalArgumentException("GraphEncoder.inputNormalization must be set (e.g."
                    + " InputNormalization.UNIT_RANGE) but was null");
        }
    }

    /**
     * {@code json} with its random seeds set to 0: the U-Net copies the graph's layers, not its seeds (its own seed
     * draws the weights), and a builder's default seed is the clock's time, so two encoders of one graph would
     * otherwise differ, and a search would not know them for the same setup.
     */
    private static String withoutSeeds(String json) {
        ComputationGraphConfiguration configuration;
        try {
            configuration = ComputationGraphConfiguration.fromJson(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("GraphEncoder.configurationJson must be a ComputationGraphConfiguration"
                    + " as JSON (configuration.toJson()) but could not be read: " + e.getMessage(), e);
        }
        configuration.getDefaultConfiguration().setSeed(0);
        configuration.getVertices().values().forEach(vertex -> {
            if (vertex instanceof LayerVertex layer && layer.getLayerConf() != null) {
                layer.getLayerConf().setSeed(0);
            }
        });
        return configuration.toJson();
    }

    /** {@code configuration} with its skips found by {@link SkipDiscovery}, pixels in [0, 1]. */
    public static GraphEncoder discovering(ComputationGraphConfiguration configuration) {
        return new GraphEncoder(configuration.toJson(), List.of(), null, InputNormalization.UNIT_RANGE);
    }

    /** {@code configuration} with declared skips and bottleneck, pixels in [0, 1]. */
    public static GraphEncoder declared(ComputationGraphConfiguration configuration, List<SkipTap> skips,
                                        SkipTap bottleneck) {
        return new GraphEncoder(configuration.toJson(), skips, bottleneck, InputNormalization.UNIT_RANGE);
    }

    /** The graph's configuration, read back from JSON. */
    public ComputationGraphConfiguration configuration() {
        return ComputationGraphConfiguration.fromJson(configurationJson);
    }

    @Override
    public EncoderSpec addTo(GraphBuilder graph, String inputVertex, ImageShape input) {
        GraphSource source = GraphSource.of(configuration());
        EncoderSpec spec = bottleneck == null ? SkipDiscovery.discover(source, input.toInputType())
                : new EncoderSpec(skips, bottleneck);
        List<String> taps = new ArrayList<>();
        spec.skips().forEach(tap -> taps.add(tap.vertexName()));
        taps.add(spec.bottleneck().vertexName());
        GraphCopy.copy(source, taps, graph, inputVertex, LayerDefaults.USE_UNET_UPDATER, (name, layer) -> {
        });
        return spec;
    }

    @Override
    public String toString() {
        return "GraphEncoder[" + (bottleneck == null ? "discovered skips" : "bottleneck " + bottleneck.vertexName())
                + "]";
    }
}
