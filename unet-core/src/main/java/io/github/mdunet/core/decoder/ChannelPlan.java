package io.github.mdunet.core.decoder;

import io.github.mdunet.core.blocks.ImageShape;
import java.util.List;

/**
 * The U-Net's channel plan, from the bottleneck up: what {@code midChannelScale} and the channel reduction made
 * of a given encoder. Inspect it before building a graph, or print it with {@link #toTable()}.
 *
 * @param bottleneck          the encoder's deepest feature map (input of the mid block)
 * @param midInnerChannels    the mid block's inner width: {@code round(bottleneck channels * midChannelScale)}
 * @param stages              the decoder stages, deepest first
 * @param finalUpsampleFactor the upsampling after the last stage up to the input's resolution (1 when the first
 *                            skip is already at full resolution)
 * @param finalChannels       channels entering the head (after the final upsampling and the last cross)
 * @param output              the network's output shape
 */
public record ChannelPlan(
        ImageShape bottleneck,
        int midInnerChannels,
        List<DecoderStage> stages,
        int finalUpsampleFactor,
        int finalChannels,
        ImageShape output) {

    public ChannelPlan {
        stages = List.copyOf(stages);
    }

    /** A fixed-width table of the plan, one row per block. */
    public String toTable() {
        StringBuilder table = new StringBuilder();
        table.append(String.format("%-10s %-24s %10s %8s %8s %8s %8s  %s%n",
                "block", "skip vertex", "skip size", "up in", "up out", "concat", "out", "notes"));
        table.append(String.format("%-10s %-24s %10s %8d %8s %8s %8d  inner width %d%n",
                "mid", "-", bottleneck.height() + "x" + bottleneck.width(), bottleneck.channels(), "-", "-",
                bottleneck.channels(), midInnerChannels));
        for (DecoderStage stage : stages) {
            table.append(String.format("%-10s %-24s %10s %8d %8d %8d %8d  %s%n",
                    "stage " + stage.index(), stage.skipVertex(),
                    stage.skip().height() + "x" + stage.skip().width(), stage.upInputChannels(),
                    stage.upOutputChannels(), stage.concatChannels(), stage.outputChannels(),
                    "x" + stage.upFactor() + (stage.attentionGate() ? ", attention gate" : "")));
        }
        table.append(String.format("%-10s %-24s %10s %8s %8s %8s %8d  final upsample x%d%n",
                "head", "-", output.height() + "x" + output.width(), "-", "-", "-", output.channels(),
                finalUpsampleFactor));
        return table.toString();
    }
}
