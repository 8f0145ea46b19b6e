package io.github.mdunet.zoo;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.Encoder;
import io.github.mdunet.core.graph.UNetGraphFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Prints, for every {@link ZooBackbone} at 3 x 512 x 512, the parameters of the encoder and of U-Nets with
 * {@code NONE} (fastai's rule, midChannelScale 2.0), {@code HALVE} and {@code EQ_SKIP} (midChannelScale 0.5 and 1.0),
 * as a Markdown table. Counts come from the configurations alone, nothing is allocated, so it runs in seconds.
 *
 * <p>Printed by unet-examples' {@code PrintParameterTable [height width]} (see the module README).
 */
public final class ParameterTable {

    /** One column: a decoder rule at a mid-block scale. */
    record Variant(ChannelReduction rule, double midChannelScale) {
        String header() {
            return rule + " " + midChannelScale;
        }
    }

    static final List<Variant> VARIANTS = List.of(new Variant(ChannelReduction.NONE, 2.0),
            new Variant(ChannelReduction.HALVE, 0.5), new Variant(ChannelReduction.HALVE, 1.0),
            new Variant(ChannelReduction.EQ_SKIP, 0.5), new Variant(ChannelReduction.EQ_SKIP, 1.0));

    private ParameterTable() {
    }

    /** The Markdown table for {@code input}. */
    public static String table(ImageShape input) {
        StringBuilder out = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("backbone", "skips (stride: channels)", "encoder"));
        VARIANTS.forEach(variant -> header.add("U-Net " + variant.header()));
        out.append("| ").append(String.join(" | ", header)).append(" |\n");
        out.append("|").append(" --- |".repeat(header.size())).append('\n');
        for (ZooBackbone backbone : ZooBackbone.values()) {
            Encoder encoder = ZooEncoder.random(backbone);
            List<String> row = new ArrayList<>();
            row.add(backbone.displayName());
            row.add(taps(backbone));
            Long encoderParams = null;
            for (Variant variant : VARIANTS) {
                UNetConfig config = UNetConfig.builder().encoder(encoder).input(input).numClasses(2)
                        .channelReduction(variant.rule()).midChannelScale(variant.midChannelScale()).build();
                UNetGraphFactory.Blueprint blueprint = UNetGraphFactory.create(config);
                ComputationGraphConfiguration graph = blueprint.configuration();
                if (encoderParams == null) {
                    encoderParams = parameters(graph, blueprint.encoderVertices());
                    row.add(millions(encoderParams));
                }
                row.add(millions(parameters(graph, null)));
            }
            out.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return out.toString();
    }

    /** The parameters of the layers of {@code graph} named in {@code vertices} (all layers when null). */
    public static long parameters(ComputationGraphConfiguration graph, Set<String> vertices) {
        long total = 0;
        for (var entry : graph.getVertices().entrySet()) {
            GraphVertex vertex = entry.getValue();
            if ((vertices == null || vertices.contains(entry.getKey())) && vertex instanceof LayerVertex layerVertex) {
                Layer layer = layerVertex.getLayerConf().getLayer();
                total += layer.initializer().numParams(layer);
            }
        }
        return total;
    }

    private static String taps(ZooBackbone backbone) {
        List<String> taps = new ArrayList<>();
        backbone.skips().forEach(tap -> taps.add(tap.stride() + ": " + tap.channels()));
        taps.add("**" + backbone.bottleneck().stride() + ": " + backbone.bottleneck().channels() + "**");
        return String.join(", ", taps);
    }

    private static String millions(long parameters) {
        return String.format("%.1fM", parameters / 1e6);
    }
}
